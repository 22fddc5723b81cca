/**
 * What the deadline reminders share (breach notifications, privacy requests): who the staff with a
 * permission are, and whether a reminder was already sent. A sent reminder is remembered as a
 * security event of its own type naming the subject and the threshold crossed, in the log the
 * console already writes to: no column and no in-memory state, and several instances agree.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { PERMISSION_ROLES, type StaffPermission } from '../console/staff-roles.js';
import { securityEvents, users } from '../db/schema/index.js';
import type { MailMessage } from '../lib/mailer.js';
import { recordSecurityEvent, type SecurityEventType } from './record-security-event.js';

/** The addresses of the active staff members who hold `permission`. */
export async function staffAddresses(
  ctx: Pick<AppContext, 'db'>,
  permission: StaffPermission,
): Promise<string[]> {
  const rows = await ctx.db
    .select({ email: users.email })
    .from(users)
    .where(and(inArray(users.staffRole, [...PERMISSION_ROLES[permission]]), eq(users.status, 'active')));
  return rows.map((row) => row.email);
}

/** Whether a `type` event already records this reminder: details[idKey] = id and the threshold. */
export async function alreadyReminded(
  ctx: Pick<AppContext, 'db'>,
  type: SecurityEventType,
  idKey: string,
  id: string,
  threshold: string,
): Promise<boolean> {
  const [row] = await ctx.db
    .select({ id: securityEvents.id })
    .from(securityEvents)
    .where(
      and(
        eq(securityEvents.type, type),
        sql`${securityEvents.details}->>${idKey} = ${id}`,
        sql`${securityEvents.details}->>'threshold' = ${threshold}`,
      ),
    )
    .limit(1);
  return row !== undefined;
}

export interface Reminder {
  /** The security event that remembers it was sent. */
  type: SecurityEventType;
  /** The details key naming the subject (incidentId, requestId) and its value. */
  idKey: string;
  id: string;
  threshold: string;
  /** The person the subject concerns, if any: the event is theirs in the security log. */
  userId?: string;
  recipients: readonly string[];
  mail(to: string): MailMessage;
}

/**
 * Sends a reminder to every recipient unless one was already sent for this subject and threshold;
 * returns whether it sent. Recorded after the mails: if sending fails, the next run tries again.
 */
export async function remindOnce(
  ctx: Pick<AppContext, 'db' | 'mailer' | 'now'>,
  reminder: Reminder,
): Promise<boolean> {
  if (await alreadyReminded(ctx, reminder.type, reminder.idKey, reminder.id, reminder.threshold))
    return false;
  for (const to of reminder.recipients) await ctx.mailer.send(reminder.mail(to));
  await recordSecurityEvent(ctx.db, {
    type: reminder.type,
    userId: reminder.userId,
    details: {
      [reminder.idKey]: reminder.id,
      threshold: reminder.threshold,
      recipients: reminder.recipients.length,
    },
    occurredAt: ctx.now(),
  });
  return true;
}
