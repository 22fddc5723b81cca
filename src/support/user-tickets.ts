/**
 * The account holder's side of support: opening a ticket, reading their own, replying (which
 * reopens a closed ticket) and closing. Another user's ticket answers as a missing one does.
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { supportMessages, supportTickets } from '../db/schema/index.js';
import { dataKeyFor, type KeyContext } from '../privacy/content-keys.js';
import { appendMessage } from './append-message.js';
import { openSubject, sealMessageBody, sealSubject } from './ticket-content.js';
import type { TicketCategory } from './ticket-kinds.js';
import {
  findTicket,
  noSuchTicket,
  selectTickets,
  type TicketDetail,
  type TicketRow,
  type TicketSummary,
  ticketDetail,
  ticketSummary,
} from './ticket-store.js';

/** More than anyone has open at once; the page lists them without paging. */
const OWN_TICKETS_LIMIT = 500;

export async function openTicket(
  ctx: KeyContext,
  userId: string,
  input: { subject: string; category: TicketCategory; message: string },
  now: Date,
): Promise<TicketDetail> {
  const key = await dataKeyFor(ctx, userId);
  const ticketId = randomUUID();
  const messageId = randomUUID();
  const ticket = await ctx.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(supportTickets)
      .values({
        id: ticketId,
        userId,
        subject: sealSubject(key, ticketId, input.subject),
        category: input.category,
        status: 'open',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(supportMessages).values({
      id: messageId,
      ticketId,
      authorId: userId,
      fromStaff: false,
      body: sealMessageBody(key, messageId, input.message),
      createdAt: now,
    });
    return created!;
  });
  return ticketDetail(ctx, ticket);
}

export async function listOwnTickets(ctx: KeyContext, userId: string): Promise<TicketSummary[]> {
  const tickets = await selectTickets(ctx.db, eq(supportTickets.userId, userId), OWN_TICKETS_LIMIT);
  if (tickets.length === 0) return [];
  const key = await dataKeyFor(ctx, userId);
  return tickets.map((ticket) => ticketSummary(ticket, openSubject(key, ticket)));
}

export async function ownTicket(ctx: KeyContext, userId: string, ticketId: string): Promise<TicketRow> {
  const ticket = await findTicket(ctx.db, ticketId);
  if (ticket.userId !== userId) throw noSuchTicket(ticketId);
  return ticket;
}

/** The user's reply: the ticket waits for the staff again, a closed one too. */
export async function replyAsUser(
  ctx: KeyContext,
  userId: string,
  ticketId: string,
  body: string,
  now: Date,
): Promise<TicketDetail> {
  await ownTicket(ctx, userId, ticketId);
  const ticket = await appendMessage(ctx, {
    ticketId,
    authorId: userId,
    fromStaff: false,
    body,
    status: 'open',
    now,
  });
  return ticketDetail(ctx, ticket);
}

/** Closing twice is harmless: the first closing time stays. */
export async function closeOwnTicket(
  ctx: KeyContext,
  userId: string,
  ticketId: string,
  now: Date,
): Promise<TicketDetail> {
  const ticket = await ownTicket(ctx, userId, ticketId);
  if (ticket.status === 'closed') return ticketDetail(ctx, ticket);
  const [closed] = await ctx.db
    .update(supportTickets)
    .set({ status: 'closed', closedAt: now, updatedAt: now })
    .where(and(eq(supportTickets.id, ticketId), eq(supportTickets.userId, userId)))
    .returning();
  if (!closed) throw noSuchTicket(ticketId);
  return ticketDetail(ctx, closed);
}
