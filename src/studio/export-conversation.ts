/**
 * GET /api/conversations/:id/export: the branch shown (from the first message down to the active
 * leaf) as a Markdown or JSON download named after the title.
 */
import type { Db } from '../db/database.js';
import { formatAmount } from '../lib/money.js';
import { dataKeyFor, type KeyContext } from '../privacy/content-keys.js';
import { allMessages, branchTo, type MessageRow } from './conversation-tree.js';
import { type ConversationRow, findConversation, messageView } from './conversations.js';

export type ExportFormat = 'markdown' | 'json';

export interface ConversationExport {
  title: string;
  filename: string;
  contentType: string;
  body: string;
}

const STATUS_NOTES: Record<string, string> = {
  cancelled: 'stopped before the end',
  interrupted: 'the provider broke off',
  failed: 'no answer',
};

export async function exportConversation(
  ctx: KeyContext,
  userId: string,
  id: string,
  format: ExportFormat,
  options: { currency: string; now: Date },
): Promise<ConversationExport> {
  const key = await dataKeyFor(ctx, userId);
  const conversation = await findConversation(ctx.db, key, userId, id);
  const messages = await activeBranch(ctx.db, key, conversation);
  const name = filenameStem(conversation.title);
  if (format === 'json') {
    const document = {
      title: conversation.title,
      exportedAt: options.now.toISOString(),
      messages: messages.map(messageView),
    };
    return {
      title: conversation.title,
      filename: `${name}.json`,
      contentType: 'application/json; charset=utf-8',
      body: `${JSON.stringify(document, null, 2)}\n`,
    };
  }
  return {
    title: conversation.title,
    filename: `${name}.md`,
    contentType: 'text/markdown; charset=utf-8',
    body: toMarkdown(conversation.title, messages, options.currency),
  };
}

/** The branch ending at the active leaf; without one, the branch of the latest message. */
async function activeBranch(db: Db, key: Buffer, conversation: ConversationRow): Promise<MessageRow[]> {
  const leafId = conversation.activeLeafId ?? (await allMessages(db, key, conversation.id)).at(-1)?.id;
  return leafId ? branchTo(db, key, conversation.id, leafId) : [];
}

export function toMarkdown(title: string, messages: readonly MessageRow[], currency: string): string {
  const sections = [`# ${title.replace(/\s+/g, ' ')}`];
  for (const message of messages) {
    if (message.role === 'user') {
      sections.push('### **You**', ...userParts(message));
      continue;
    }
    const facts = [
      message.model,
      message.cost === null ? null : `${formatAmount(message.cost)} ${currency}`,
    ].filter(Boolean);
    sections.push(`### **Assistant**${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`);
    if (message.content.text !== '') sections.push(message.content.text);
    const note = STATUS_NOTES[message.status];
    if (note) sections.push(`_(${note}${message.error ? `: ${message.error}` : ''})_`);
  }
  return `${sections.join('\n\n')}\n`;
}

function userParts(message: MessageRow): string[] {
  const parts = message.content.text === '' ? [] : [message.content.text];
  for (const attachment of message.content.attachments ?? []) {
    if (attachment.kind === 'image') {
      parts.push(`_Image: ${attachment.name}_`);
    } else {
      // A fence longer than any run of backticks in the file, so the file cannot close it.
      const longest = Math.max(2, ...(attachment.text.match(/`+/g) ?? []).map((run) => run.length));
      const fence = '`'.repeat(longest + 1);
      parts.push(`_File: ${attachment.name}_\n\n${fence}\n${attachment.text}\n${fence}`);
    }
  }
  return parts;
}

/** The title as a safe file name: letters, digits and dashes, at most 80 characters. */
export function filenameStem(title: string, fallback = 'conversation'): string {
  const stem = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return stem === '' ? fallback : stem;
}

/** `attachment` with an ASCII name and the title in UTF-8 (RFC 6266) for browsers that take it. */
export function contentDisposition(filename: string, title: string): string {
  const extension = filename.slice(filename.lastIndexOf('.'));
  const readable = title.replace(/[\\/:*?"<>|\s]+/g, ' ').trim();
  const utf8Name = encodeURIComponent(readable === '' ? filename : `${readable}${extension}`).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${filename}"; filename*=UTF-8''${utf8Name}`;
}
