/**
 * A succeeded prediction's files, downloaded so they outlive Replicate's one-hour retention.
 *
 * Only URLs Replicate itself serves are fetched: the deployment's own origin (API-hosted files,
 * which need the key) and replicate.delivery over https (public, unguessable URLs, fetched without
 * the key). A model's plain text output can be any string, including `http://169.254.169.254/`:
 * fetching every URL-looking string would let a model make the gateway read internal addresses.
 */
import { Agent, type Dispatcher } from 'undici';
import { readBody, statusError, transportError } from '../http/upstream.js';
import type { CallOptions } from '../spec.js';
import { ProviderError } from '../spec.js';

export interface OutputDownloadSettings {
  /** Dispatcher for files on other hosts than the deployment's (replicate.delivery). */
  downloadDispatcher: Dispatcher;
  /** Origins besides replicate.delivery whose files are fetched (e.g. a caching proxy, a test server). */
  extraOutputOrigins: ReadonlySet<string>;
  maxOutputBytes: number;
}

export interface DownloadedOutput {
  data: Buffer;
  mediaType: string;
}

/** At most this many files per prediction: image models give 1 to 4, a grid model a few more. */
const MAX_OUTPUT_FILES = 16;

let sharedAgent: Agent | undefined;

/** One keep-alive Agent for replicate.delivery and friends, created on first use. */
export function defaultDownloadDispatcher(): Dispatcher {
  sharedAgent ??= new Agent({ connections: 32, headersTimeout: 60_000, bodyTimeout: 60_000 });
  return sharedAgent;
}

export async function downloadOutputs(
  output: unknown,
  call: CallOptions,
  settings: OutputDownloadSettings,
): Promise<DownloadedOutput[]> {
  const deploymentOrigin = new URL(call.deployment.baseUrl).origin;
  const downloads: DownloadedOutput[] = [];
  for (const candidate of outputStrings(output, 0)) {
    if (downloads.length >= MAX_OUTPUT_FILES) break;
    if (candidate.startsWith('data:')) {
      const inline = decodeDataUrl(candidate, settings.maxOutputBytes);
      if (inline) downloads.push(inline);
      continue;
    }
    let url: URL;
    try {
      url = new URL(candidate);
    } catch {
      continue; // text output, not a file
    }
    if (url.origin === deploymentOrigin) {
      const headers: Record<string, string> = { ...call.deployment.headers };
      if (call.deployment.apiKey) headers.authorization = `Bearer ${call.deployment.apiKey}`;
      downloads.push(await download(call.dispatcher, url, headers, call.signal, settings.maxOutputBytes));
    } else if (isReplicateDelivery(url) || settings.extraOutputOrigins.has(url.origin)) {
      downloads.push(
        await download(settings.downloadDispatcher, url, {}, call.signal, settings.maxOutputBytes),
      );
    }
  }
  return downloads;
}

/** Strings in the output: the output itself, an array of them, or the values of an object. */
function* outputStrings(output: unknown, depth: number): Generator<string> {
  if (typeof output === 'string') yield output;
  else if (depth < 3 && Array.isArray(output))
    for (const item of output) yield* outputStrings(item, depth + 1);
  else if (depth < 3 && output && typeof output === 'object')
    for (const value of Object.values(output)) yield* outputStrings(value, depth + 1);
}

/** https://replicate.delivery and its subdomains, where Replicate serves output files. */
function isReplicateDelivery(url: URL): boolean {
  return (
    url.protocol === 'https:' &&
    (url.hostname === 'replicate.delivery' || url.hostname.endsWith('.replicate.delivery'))
  );
}

async function download(
  dispatcher: Dispatcher,
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
  maxBytes: number,
): Promise<DownloadedOutput> {
  let response: Dispatcher.ResponseData;
  try {
    response = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers,
      signal,
    });
  } catch (error) {
    throw transportError('replicate', error, signal);
  }
  if (response.statusCode < 200 || response.statusCode >= 300) {
    discard(response.body);
    throw statusError('replicate', response.statusCode, response.headers, '');
  }
  const declared = Number(single(response.headers['content-length']));
  if (declared > maxBytes) {
    discard(response.body);
    throw new ProviderError('malformed', `replicate output file is larger than ${maxBytes} bytes`);
  }
  const data = await readBody('replicate', response.body, maxBytes, signal);
  return { data, mediaType: mediaTypeOf(single(response.headers['content-type']), url.pathname) };
}

function decodeDataUrl(text: string, maxBytes: number): DownloadedOutput | undefined {
  const match = /^data:([\w.+-]+\/[\w.+-]+)?(?:;[^,;]*)*;base64,(.*)$/s.exec(text);
  if (!match) return undefined;
  const data = Buffer.from(match[2]!, 'base64');
  if (data.length > maxBytes)
    throw new ProviderError('malformed', `replicate output file is larger than ${maxBytes} bytes`);
  return { data, mediaType: match[1] ?? 'application/octet-stream' };
}

const MEDIA_TYPES_BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  ogg: 'audio/ogg',
};

/** The Content-Type without parameters; the file extension when the server only said octet-stream. */
function mediaTypeOf(contentType: string | undefined, pathname: string): string {
  const declared = contentType?.split(';')[0]?.trim().toLowerCase();
  if (declared && declared !== 'application/octet-stream' && declared.includes('/')) return declared;
  const extension = /\.([a-z0-9]+)$/i.exec(pathname)?.[1]?.toLowerCase();
  return (extension && MEDIA_TYPES_BY_EXTENSION[extension]) || 'application/octet-stream';
}

/** Drops an unwanted body: a small one is read so the connection is reused, a large one closed. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.dump().catch(() => {});
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
