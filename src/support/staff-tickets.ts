/**
 * The staff's side of support (the console): the queue of tickets, one ticket's conversation, a
 * reply, a change of status or handler. Every answer that shows a ticket's content to a staff
 * member is recorded in the security log (who, whose ticket; never the content).
 */
import { eq, inArray, sql } from 'drizzle-orm';
import { sendMailSafely } from '../accounts/account-mails.js';
import type { RequestMeta } from '../accounts/request-meta.js';
import type { AppContext } from '../app-context.js';
import { recordSecurityEvent } from '../audit/record-security-event.js';
import { hasPermission } from '../console/staff-roles.js';
import { supportTickets, users } from '../db/schema/index.js';
import { isMixgateError, MixgateError } from '../lib/errors.js';
import { dataKeyFor } from '../privacy/content-keys.js';
import { appendMessage } from './append-message.js';
import { supportReplyMail } from './support-mails.js';
import { openSubject } from './ticket-content.js';
import type { TicketStatus } from './ticket-kinds.js';
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

export type StaffTicketSummary = TicketSummary & { userId: string; userEmail: string };
export type StaffTicketDetail = TicketDetail & {
  userId: string;
  userEmail: string;
  assignedTo: string | null;
};

export interface StaffActor {
  id: string;
  meta: RequestMeta;
}

async function emailsOf(ctx: Pick<AppContext, 'db'>, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await ctx.db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.id, [...new Set(userIds)]));
  return new Map(rows.map((row) => [row.id, row.email]));
}

export async function listTicketsForStaff(
  ctx: AppContext,
  query: { status?: TicketStatus; limit: number },
): Promise<StaffTicketSummary[]> {
  const tickets = await selectTickets(
    ctx.db,
    query.status ? eq(supportTickets.status, query.status) : undefined,
    query.limit,
  );
  const emails = await emailsOf(
    ctx,
    tickets.map((ticket) => ticket.userId),
  );
  // One key per owner for the whole list.
  const keys = new Map<string, Buffer | null>();
  const summaries: StaffTicketSummary[] = [];
  for (const ticket of tickets) {
    if (!keys.has(ticket.userId)) keys.set(ticket.userId, await keyOrNull(ctx, ticket.userId));
    const key = keys.get(ticket.userId);
    // An erased owner's tickets are being deleted with the rest of their data: nothing to show.
    if (!key) continue;
    summaries.push({
      ...ticketSummary(ticket, openSubject(key, ticket)),
      userId: ticket.userId,
      userEmail: emails.get(ticket.userId) ?? '',
    });
  }
  return summaries;
}

async function keyOrNull(ctx: AppContext, userId: string): Promise<Buffer | null> {
  try {
    return await dataKeyFor(ctx, userId);
  } catch (error) {
    if (isMixgateError(error) && error.code === 'content_erased') return null;
    throw error;
  }
}

/** The ticket as the staff sees it; the access is logged once the content was opened. */
async function staffView(ctx: AppContext, ticket: TicketRow, actor: StaffActor): Promise<StaffTicketDetail> {
  const detail = await ticketDetail(ctx, ticket);
  const emails = await emailsOf(ctx, [ticket.userId]);
  await recordSecurityEvent(ctx.db, {
    type: 'staff_content_access',
    userId: ticket.userId,
    actorId: actor.id,
    ip: actor.meta.ip,
    userAgent: actor.meta.userAgent,
    details: { ticketId: ticket.id, reason: 'support ticket' },
    occurredAt: ctx.now(),
  });
  return {
    ...detail,
    userId: ticket.userId,
    userEmail: emails.get(ticket.userId) ?? '',
    assignedTo: ticket.assignedTo,
  };
}

export async function readTicketAsStaff(
  ctx: AppContext,
  ticketId: string,
  actor: StaffActor,
): Promise<StaffTicketDetail> {
  return staffView(ctx, await findTicket(ctx.db, ticketId), actor);
}

/**
 * The staff's reply: the ticket waits for the user, handled by this staff member unless someone
 * already is. The user is told by mail that there is a reply, without its content or the subject:
 * mail leaves the instance, and the conversation stays behind the sign-in.
 */
export async function replyAsStaff(
  ctx: AppContext,
  ticketId: string,
  body: string,
  actor: StaffActor,
  log: { warn: (obj: object, msg: string) => void },
): Promise<StaffTicketDetail> {
  const ticket = await appendMessage(ctx, {
    ticketId,
    authorId: actor.id,
    fromStaff: true,
    body,
    status: 'answered',
    assignTo: actor.id,
    now: ctx.now(),
  });
  const view = await staffView(ctx, ticket, actor);
  if (view.userEmail) await sendMailSafely(ctx, supportReplyMail(ctx, view.userEmail, ticket), log);
  return view;
}

/** Sets the status and, when given, the handler (null: nobody); a handler must be support staff. */
export async function changeTicketStatus(
  ctx: AppContext,
  ticketId: string,
  change: { status: TicketStatus; assignedTo?: string | null },
  actor: StaffActor,
): Promise<StaffTicketDetail> {
  if (change.assignedTo) await assertSupportStaff(ctx, change.assignedTo);
  const now = ctx.now();
  const [ticket] = await ctx.db
    .update(supportTickets)
    .set({
      status: change.status,
      updatedAt: now,
      closedAt:
        change.status === 'closed'
          ? sql`coalesce(${supportTickets.closedAt}, ${now.toISOString()}::timestamptz)`
          : null,
      ...(change.assignedTo !== undefined ? { assignedTo: change.assignedTo } : {}),
    })
    .where(eq(supportTickets.id, ticketId))
    .returning();
  if (!ticket) throw noSuchTicket(ticketId);
  return staffView(ctx, ticket, actor);
}

async function assertSupportStaff(ctx: AppContext, userId: string): Promise<void> {
  const [user] = await ctx.db.select({ staffRole: users.staffRole }).from(users).where(eq(users.id, userId));
  if (!hasPermission(user?.staffRole, 'support.tickets')) {
    throw new MixgateError(
      'invalid_request',
      'A ticket can only be assigned to a staff member who handles support',
      400,
      {
        assignedTo: userId,
      },
    );
  }
}
