/**
 * A ticket's content at rest: its subject and every message, the staff's replies included, sealed
 * with the ticket owner's data key (src/privacy/content-cipher.ts), each bound to its column and
 * row. Erasing the owner's key shreds the whole conversation, whoever wrote it.
 */
import type { Sealed } from '../db/schema/user-data-keys.js';
import { contentField, openText, sealText } from '../privacy/content-cipher.js';

export function sealSubject(key: Buffer, ticketId: string, subject: string): Sealed<string> {
  return sealText(key, subject, contentField('support_tickets', 'subject', ticketId));
}

export function openSubject(key: Buffer, ticket: { id: string; subject: Sealed<string> }): string {
  return openText(key, ticket.subject, contentField('support_tickets', 'subject', ticket.id));
}

export function sealMessageBody(key: Buffer, messageId: string, body: string): Sealed<string> {
  return sealText(key, body, contentField('support_messages', 'body', messageId));
}

export function openMessageBody(key: Buffer, message: { id: string; body: Sealed<string> }): string {
  return openText(key, message.body, contentField('support_messages', 'body', message.id));
}
