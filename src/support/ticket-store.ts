/**
 * Reading tickets and the shapes the API gives them: a summary for lists, the detail with the whole
 * conversation opened. Both the user's and the staff's routes build on these.
 */
import { asc, desc, eq, type SQL, sql } from 'drizzle-orm';
import { supportMessages, supportTickets } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { MixgateError } from '../lib/errors.js';
import { dataKeyFor, type KeyContext } from '../privacy/content-keys.js';
import { openMessageBody, openSubject } from './ticket-content.js';
import type { TicketCategory, TicketStatus } from './ticket-kinds.js';

export type TicketRow = typeof supportTickets.$inferSelect;
export type CountedTicketRow = TicketRow & { messageCount: number };

export interface TicketSummary {
  id: string;
  subject: string;
  category: TicketCategory;
  status: TicketStatus;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  messageCount: number;
}

export interface TicketMessage {
  id: string;
  fromStaff: boolean;
  body: string;
  createdAt: string;
}

export interface TicketDetail extends TicketSummary {
  /** Oldest first. */
  messages: TicketMessage[];
}

// Written out: drizzle leaves a column of the only table in a query unqualified, which inside the
// subquery would name support_messages.id.
const messageCount = sql<number>`(SELECT count(*)::int FROM support_messages m WHERE m.ticket_id = support_tickets.id)`;

/** Tickets matching `where`, newest activity first, each with how many messages it has. */
export async function selectTickets(
  db: DbOrTransaction,
  where: SQL | undefined,
  limit: number,
): Promise<CountedTicketRow[]> {
  const rows = await db
    .select({ ticket: supportTickets, messageCount })
    .from(supportTickets)
    .where(where)
    .orderBy(desc(supportTickets.updatedAt), desc(supportTickets.id))
    .limit(limit);
  return rows.map((row) => ({ ...row.ticket, messageCount: row.messageCount }));
}

/** The ticket, or `not_found`; the caller decides who may see it. */
export async function findTicket(db: DbOrTransaction, ticketId: string): Promise<TicketRow> {
  const [ticket] = await db.select().from(supportTickets).where(eq(supportTickets.id, ticketId));
  if (!ticket) throw noSuchTicket(ticketId);
  return ticket;
}

export function noSuchTicket(ticketId: string): MixgateError {
  return new MixgateError('not_found', `No support ticket ${ticketId}`);
}

export function ticketSummary(ticket: CountedTicketRow, subject: string): TicketSummary {
  return {
    id: ticket.id,
    subject,
    category: ticket.category as TicketCategory,
    status: ticket.status as TicketStatus,
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
    closedAt: ticket.closedAt?.toISOString() ?? null,
    messageCount: ticket.messageCount,
  };
}

/** The ticket with its conversation, opened with the owner's key (`content_erased` once it is destroyed). */
export async function ticketDetail(ctx: KeyContext, ticket: TicketRow): Promise<TicketDetail> {
  const key = await dataKeyFor(ctx, ticket.userId);
  const rows = await ctx.db
    .select()
    .from(supportMessages)
    .where(eq(supportMessages.ticketId, ticket.id))
    .orderBy(asc(supportMessages.createdAt));
  return {
    ...ticketSummary({ ...ticket, messageCount: rows.length }, openSubject(key, ticket)),
    messages: rows.map((row) => ({
      id: row.id,
      fromStaff: row.fromStaff,
      body: openMessageBody(key, row),
      createdAt: row.createdAt.toISOString(),
    })),
  };
}
