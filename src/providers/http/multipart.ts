/**
 * multipart/form-data bodies built by hand (RFC 7578), for the providers whose uploads and
 * generation endpoints take forms (ElevenLabs speech-to-text, Stability, OpenAI transcriptions).
 * The whole body is one Buffer: uploads are at most a few tens of MiB and undici then sends it
 * with a Content-Length, which some providers require. `parseMultipart` is the reverse, for the
 * provider fakes and tests.
 */
import { randomBytes } from 'node:crypto';

export type MultipartField =
  | { name: string; value: string }
  | { name: string; filename: string; mediaType: string; data: Buffer };

export interface MultipartPart {
  name: string;
  filename?: string;
  mediaType?: string;
  data: Buffer;
}

const CRLF = '\r\n';

export function buildMultipart(fields: MultipartField[]): { body: Buffer; contentType: string } {
  for (;;) {
    const boundary = `----mixgate-${randomBytes(16).toString('hex')}`;
    const chunks: Buffer[] = [];
    for (const field of fields) {
      let head = `--${boundary}${CRLF}Content-Disposition: form-data; name="${escapeQuoted(field.name)}"`;
      let data: Buffer;
      if ('data' in field) {
        head += `; filename="${escapeQuoted(field.filename)}"${CRLF}`;
        head += `Content-Type: ${field.mediaType.replace(/[\r\n]/g, '')}${CRLF}${CRLF}`;
        data = field.data;
      } else {
        head += `${CRLF}${CRLF}`;
        data = Buffer.from(field.value, 'utf8');
      }
      chunks.push(Buffer.from(head, 'utf8'), data, Buffer.from(CRLF));
    }
    chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
    // 128 random bits make a collision with the content all but impossible; checking costs one
    // scan and turns "all but" into "never".
    if (fields.some((field) => 'data' in field && field.data.includes(boundary))) continue;
    if (fields.some((field) => 'value' in field && field.value.includes(boundary))) continue;
    return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
  }
}

/** Splits a multipart/form-data body into its parts; throws on a body that is not one. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!boundary) throw new Error('multipart body without a boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position === -1) throw new Error('multipart body without its boundary');
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString() === '--') return parts;
    position += 2; // the CRLF after the boundary line
    const headerEnd = body.indexOf('\r\n\r\n', position);
    if (headerEnd === -1) throw new Error('multipart part without the end of its headers');
    const headers = body.subarray(position, headerEnd).toString('utf8').split(CRLF);
    const next = body.indexOf(Buffer.from(`${CRLF}--${boundary}`), headerEnd + 4);
    if (next === -1) throw new Error('multipart part without a closing boundary');
    const part: MultipartPart = { name: '', data: body.subarray(headerEnd + 4, next) };
    for (const header of headers) {
      const colon = header.indexOf(':');
      const key = header.slice(0, colon).trim().toLowerCase();
      const value = header.slice(colon + 1).trim();
      if (key === 'content-disposition') {
        part.name = unescapeQuoted(/\bname="([^"]*)"/.exec(value)?.[1] ?? '');
        const filename = /\bfilename="([^"]*)"/.exec(value)?.[1];
        if (filename !== undefined) part.filename = unescapeQuoted(filename);
      } else if (key === 'content-type') {
        part.mediaType = value;
      }
    }
    parts.push(part);
    position = next + 2;
  }
}

/** The WHATWG form encoding: quotes and line breaks in names become percent escapes. */
function escapeQuoted(text: string): string {
  return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function unescapeQuoted(text: string): string {
  return text.replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n');
}
