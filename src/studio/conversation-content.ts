/**
 * A conversation's content at rest: its title, and each message's text and attachments, sealed
 * with the owner's data key (src/privacy/content-cipher.ts), each bound to its column and row.
 * A message's text is sealed apart from its attachments, so a search opens texts and never the
 * images' data URLs.
 */
import { z } from 'zod';
import type {
  conversationMessages,
  conversations,
  Sealed,
  StoredAttachment,
  StoredMessageContent,
} from '../db/schema/index.js';
import { contentField, openJson, openText, sealJson, sealText } from '../privacy/content-cipher.js';

export type SealedConversationRow = typeof conversations.$inferSelect;
export type SealedMessageRow = typeof conversationMessages.$inferSelect;

/** A conversation as the studio works with it: its title opened. */
export type ConversationRow = Omit<SealedConversationRow, 'title'> & { title: string };

/** A message as the studio works with it: text and attachments opened, as one content. */
export type MessageRow = Omit<SealedMessageRow, 'content' | 'attachments'> & {
  content: StoredMessageContent;
};

// Checked in full (signatures, sizes) by message-content.ts before they were sealed; here the shape.
const ZStoredAttachments = z.array(
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('image'), name: z.string(), mediaType: z.string(), dataUrl: z.string() }),
    z.object({ kind: z.literal('file'), name: z.string(), mediaType: z.string(), text: z.string() }),
  ]),
) satisfies z.ZodType<StoredAttachment[]>;

export function sealTitle(key: Buffer, conversationId: string, title: string): Sealed<string> {
  return sealText(key, title, contentField('conversations', 'title', conversationId));
}

export function openConversation(key: Buffer, row: SealedConversationRow): ConversationRow {
  return { ...row, title: openText(key, row.title, contentField('conversations', 'title', row.id)) };
}

/** The columns a message's content is stored in. */
export function sealMessageContent(
  key: Buffer,
  messageId: string,
  content: StoredMessageContent,
): { content: Sealed<string>; attachments: Sealed<StoredAttachment[]> | null } {
  return {
    content: sealText(key, content.text, contentField('conversation_messages', 'content', messageId)),
    attachments:
      content.attachments === undefined
        ? null
        : sealJson(key, content.attachments, contentField('conversation_messages', 'attachments', messageId)),
  };
}

/** The message's text alone (what a search reads). */
export function openMessageText(key: Buffer, row: Pick<SealedMessageRow, 'id' | 'content'>): string {
  return openText(key, row.content, contentField('conversation_messages', 'content', row.id));
}

export function openMessage(key: Buffer, row: SealedMessageRow): MessageRow {
  const { attachments: sealedAttachments, ...rest } = row;
  const content: StoredMessageContent = { text: openMessageText(key, row) };
  if (sealedAttachments !== null) {
    content.attachments = openJson(
      key,
      sealedAttachments,
      contentField('conversation_messages', 'attachments', row.id),
      ZStoredAttachments,
    );
  }
  return { ...rest, content };
}
