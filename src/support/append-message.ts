/**
 * A message added to a ticket, by its owner or by the staff, and the ticket's status moved with it,
 * in one transaction.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { supportMessages, supportTickets } from '../db/schema/index.js';
import type { DbTransaction } from '../db/transaction.js';
import { dataKeyFor, type KeyContext } from '../privacy/content-keys.js';
import { sealMessageBody } from './ticket-content.js';
import type { TicketStatus } from './ticket-kinds.js';
import { noSuchTicket, type TicketRow } from './ticket-store.js';

export interface NewMessage {
  ticketId: string;
  authorId: string;
  fromStaff: boolean;
  body: string;
  /** Where the ticket goes: 'open' after the user wrote, 'answered' after the staff did. */
  status: Exclude<TicketStatus, 'closed'>;
  /** Set as the handler when the ticket has none yet. */
  assignTo?: string;
  now: Date;
}

/** Adds the message; returns the ticket as it is now. */
export async function appendMessage(ctx: KeyContext, message: NewMessage): Promise<TicketRow> {
  const [owner] = await ctx.db
    .select({ userId: supportTickets.userId })
    .from(supportTickets)
    .where(eq(supportTickets.id, message.ticketId));
  if (!owner) throw noSuchTicket(message.ticketId);
  // Read before the transaction: dataKeyFor uses its own connection.
  const key = await dataKeyFor(ctx, owner.userId);
  return ctx.db.transaction(async (tx) => {
    const createdAt = await nextMessageTime(tx, message.ticketId, message.now);
    const id = randomUUID();
    await tx.insert(supportMessages).values({
      id,
      ticketId: message.ticketId,
      authorId: message.authorId,
      fromStaff: message.fromStaff,
      body: sealMessageBody(key, id, message.body),
      createdAt,
    });
    const [ticket] = await tx
      .update(supportTickets)
      .set({
        status: message.status,
        updatedAt: createdAt,
        closedAt: null,
        ...(message.assignTo
          ? { assignedTo: sql`coalesce(${supportTickets.assignedTo}, ${message.assignTo}::uuid)` }
          : {}),
      })
      .where(eq(supportTickets.id, message.ticketId))
      .returning();
    return ticket!;
  });
}

/**
 * Locks the ticket (replies to one ticket take turns) and gives the new message a time after every
 * earlier one: the conversation is shown in the order it was written, even when two messages fall
 * in the same millisecond or the clock was set back.
 */
async function nextMessageTime(tx: DbTransaction, ticketId: string, now: Date): Promise<Date> {
  const locked = await tx.execute<{ last_ms: number | null }>(sql`
    SELECT floor(extract(epoch FROM (SELECT max(created_at) FROM support_messages WHERE ticket_id = t.id)) * 1000)::float8 AS last_ms
      FROM support_tickets t WHERE t.id = ${ticketId} FOR UPDATE`);
  if (locked.rows.length === 0) throw noSuchTicket(ticketId);
  const last = locked.rows[0]!.last_ms;
  return new Date(Math.max(now.getTime(), last === null ? 0 : last + 1));
}
