import { and, eq, isNull, lte, ne, or } from 'drizzle-orm';
import { signedText } from '../../accounts/account-mails.js';
import type { AppContext } from '../../app-context.js';
import { incidents } from '../../db/schema/index.js';
import type { MailMessage } from '../../lib/mailer.js';
import { remindOnce, staffAddresses } from '../deadline-reminders.js';
import { NOTIFICATION_WINDOW_HOURS, notificationClock } from './incident-clock.js';
import type { Incident } from './incident-rules.js';

const HOUR_MS = 3_600_000;
/** Staff hear of a pending notification once a day before its deadline, and once when it passed. */
const WARNING_HOURS = 24;
type Threshold = 'due_within_24_hours' | 'overdue';

/**
 * Mails the staff who manage incidents about personal-data breaches whose authority notification
 * is still pending (undecided, or decided but not made) and whose 72-hour deadline is less than 24
 * hours away or passed. Each incident is mailed once per threshold, remembered as an
 * `incident_deadline_reminded` security event (deadline-reminders.ts). (After the
 * security log's retention period the event is redacted; a breach still pending then is mailed once
 * more, which is welcome.) Returns the number of reminders sent.
 */
export async function remindIncidentDeadlines(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const warnFrom = new Date(now.getTime() - (NOTIFICATION_WINDOW_HOURS - WARNING_HOURS) * HOUR_MS);
  const pending = await ctx.db
    .select()
    .from(incidents)
    .where(
      and(
        eq(incidents.personalDataBreach, true),
        isNull(incidents.authorityNotifiedAt),
        or(isNull(incidents.notifyAuthority), eq(incidents.notifyAuthority, true)),
        ne(incidents.status, 'closed'),
        lte(incidents.awareAt, warnFrom),
      ),
    );
  if (pending.length === 0) return 0;
  const recipients = await staffAddresses(ctx, 'incidents.manage');
  let sent = 0;
  for (const incident of pending) {
    const clock = notificationClock(incident, now);
    const threshold: Threshold = clock.overdue ? 'overdue' : 'due_within_24_hours';
    const reminded = await remindOnce(ctx, {
      type: 'incident_deadline_reminded',
      idKey: 'incidentId',
      id: incident.id,
      threshold,
      recipients,
      mail: (to) => reminderMail(ctx, to, incident, clock),
    });
    if (reminded) sent += 1;
  }
  return sent;
}

function reminderMail(
  ctx: AppContext,
  to: string,
  incident: Incident,
  clock: ReturnType<typeof notificationClock>,
): MailMessage {
  const deadline = clock.notificationDeadline.toISOString();
  const overdue = clock.overdue;
  return {
    to,
    subject: overdue
      ? `Breach notification overdue: ${incident.title}`
      : `Breach notification due within ${WARNING_HOURS} hours: ${incident.title}`,
    text: signedText(ctx, [
      overdue
        ? `The ${NOTIFICATION_WINDOW_HOURS} hours to notify the supervisory authority of this personal-data breach ended at ${deadline}.`
        : `The ${NOTIFICATION_WINDOW_HOURS} hours to notify the supervisory authority of this personal-data breach end at ${deadline} (${clock.hoursLeft} hours left).`,
      '',
      `Incident: ${incident.title} (${incident.id})`,
      `Aware since: ${incident.awareAt.toISOString()}`,
      '',
      'Record in the incident register either the notification (authorityNotifiedAt) or the decision not to',
      'notify with its reason (notifyAuthority false, noNotificationReason), GDPR Art. 33(1) and (5).',
      ...(overdue ? ['A notification made now must state the reasons for the delay (delayReason).'] : []),
    ]),
  };
}
