import { and, asc, inArray, lte } from 'drizzle-orm';
import { signedText } from '../../accounts/account-mails.js';
import type { AppContext } from '../../app-context.js';
import { remindOnce, staffAddresses } from '../../audit/deadline-reminders.js';
import { privacyRequests } from '../../db/schema/index.js';
import type { MailMessage } from '../../lib/mailer.js';
import { OPEN_STATUSES, type PrivacyRequest } from './request-kinds.js';

const DAY_MS = 86_400_000;
/** A week leaves time to answer, or to extend the deadline with notice to the person (Art. 12(3)). */
const WARNING_DAYS = 7;
type Threshold = 'due_within_7_days' | 'overdue';

/**
 * Mails the staff who handle privacy requests about every open request whose one-month deadline
 * (GDPR Art. 12(3)) is less than a week away, and again once it has passed. Each request is
 * mailed once per threshold, remembered as a `privacy_request_deadline_reminded` security event
 * (deadline-reminders.ts). The mail names the request, never the person's data. Returns the
 * number of reminders sent.
 */
export async function remindRequestDeadlines(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const due = await ctx.db
    .select()
    .from(privacyRequests)
    .where(
      and(
        inArray(privacyRequests.status, [...OPEN_STATUSES]),
        lte(privacyRequests.dueAt, new Date(now.getTime() + WARNING_DAYS * DAY_MS)),
      ),
    )
    .orderBy(asc(privacyRequests.dueAt));
  if (due.length === 0) return 0;
  const recipients = await staffAddresses(ctx, 'privacy.requests.manage');
  let sent = 0;
  for (const request of due) {
    const threshold: Threshold = request.dueAt < now ? 'overdue' : 'due_within_7_days';
    const reminded = await remindOnce(ctx, {
      type: 'privacy_request_deadline_reminded',
      idKey: 'requestId',
      id: request.id,
      threshold,
      userId: request.userId,
      recipients,
      mail: (to) => reminderMail(ctx, to, request, threshold),
    });
    if (reminded) sent += 1;
  }
  return sent;
}

function reminderMail(
  ctx: AppContext,
  to: string,
  request: PrivacyRequest,
  threshold: Threshold,
): MailMessage {
  const overdue = threshold === 'overdue';
  const deadline = request.dueAt.toISOString();
  return {
    to,
    subject: overdue
      ? `Privacy request overdue: ${request.type} ${request.id.slice(0, 8)}`
      : `Privacy request due within ${WARNING_DAYS} days: ${request.type} ${request.id.slice(0, 8)}`,
    text: signedText(ctx, [
      overdue
        ? `The month to answer this ${request.type} request ended at ${deadline}.`
        : `The month to answer this ${request.type} request ends at ${deadline}.`,
      '',
      `Request: ${request.id} (${request.status.replace('_', ' ')}), received ${request.receivedAt.toISOString()}`,
      `Open requests, soonest due first: ${ctx.config.publicUrl}/api/console/privacy-requests?open=true`,
      '',
      'Answer it, or tell the person within the month that the deadline is extended by up to two months',
      'and why (GDPR Art. 12(3)); a refusal must name their right to complain to the supervisory authority.',
    ]),
  };
}
