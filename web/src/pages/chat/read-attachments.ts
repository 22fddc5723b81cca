/** Files the user attaches to a message -> the message's attachments (images inline, text as text). */
import type { Attachment } from '../../api/conversations';

export const MAX_ATTACHMENTS = 4;
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const MAX_TEXT_BYTES = 200 * 1024;
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

export const ACCEPTED_FILES =
  'image/png,image/jpeg,image/webp,image/gif,text/*,.md,.json,.csv,.ts,.js,.py,.yaml,.yml,.xml,.sql';

function readAs(file: File, as: 'dataUrl' | 'text'): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new Error(`${file.name} could not be read`));
    if (as === 'dataUrl') reader.readAsDataURL(file);
    else reader.readAsText(file);
  });
}

/** Throws an Error with a message for people when a file cannot be attached. */
export async function readAttachment(file: File): Promise<Attachment> {
  if (IMAGE_TYPES.has(file.type)) {
    if (file.size > MAX_IMAGE_BYTES) throw new Error(`${file.name} is larger than 5 MB`);
    return { kind: 'image', name: file.name, mediaType: file.type, dataUrl: await readAs(file, 'dataUrl') };
  }
  if (file.size > MAX_TEXT_BYTES)
    throw new Error(`${file.name} is larger than 200 KB; attach text files only`);
  const text = await readAs(file, 'text');
  if (text.includes('\u0000')) throw new Error(`${file.name} is not a text file; attach images or text`);
  return { kind: 'file', name: file.name, mediaType: file.type || 'text/plain', text };
}
