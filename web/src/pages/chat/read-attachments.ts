/** Files the user attaches to a message -> the message's attachments (images inline, text as text). */
import type { Attachment } from '../../api/conversations';

export const MAX_ATTACHMENTS = 4;
const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const MAX_TEXT_BYTES = 200 * 1024;
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

/** Why a file was refused: the composer says it in the reader's language. */
export class AttachmentError extends Error {
  constructor(
    readonly reason: 'unreadable' | 'imageTooLarge' | 'textTooLarge' | 'notText',
    readonly fileName: string,
  ) {
    super(`${fileName}: ${reason}`);
  }
}

export const ACCEPTED_FILES =
  'image/png,image/jpeg,image/webp,image/gif,text/*,.md,.json,.csv,.ts,.js,.py,.yaml,.yml,.xml,.sql';

function readAs(file: File, as: 'dataUrl' | 'text'): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new AttachmentError('unreadable', file.name));
    if (as === 'dataUrl') reader.readAsDataURL(file);
    else reader.readAsText(file);
  });
}

/** Throws an AttachmentError when a file cannot be attached. */
export async function readAttachment(file: File): Promise<Attachment> {
  if (IMAGE_TYPES.has(file.type)) {
    if (file.size > MAX_IMAGE_BYTES) throw new AttachmentError('imageTooLarge', file.name);
    return { kind: 'image', name: file.name, mediaType: file.type, dataUrl: await readAs(file, 'dataUrl') };
  }
  if (file.size > MAX_TEXT_BYTES) throw new AttachmentError('textTooLarge', file.name);
  const text = await readAs(file, 'text');
  if (text.includes('\u0000')) throw new AttachmentError('notText', file.name);
  return { kind: 'file', name: file.name, mediaType: file.type || 'text/plain', text };
}
