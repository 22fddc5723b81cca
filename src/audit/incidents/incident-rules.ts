import type { incidents } from '../../db/schema/index.js';
import { MixgateError } from '../../lib/errors.js';
import { hoursAfterAwareness, NOTIFICATION_WINDOW_HOURS, notificationDeadline } from './incident-clock.js';
import { INCIDENT_STATUSES } from './incident-routes.types.js';

export type Incident = typeof incidents.$inferSelect;

/** The fields the rules read: an incident as it would be stored. */
export type IncidentState = Pick<
  Incident,
  | 'awareAt'
  | 'occurredAt'
  | 'status'
  | 'personalDataBreach'
  | 'notifyAuthority'
  | 'noNotificationReason'
  | 'authorityNotifiedAt'
  | 'delayReason'
  | 'subjectsNotifiedAt'
>;

// 422: the request is well formed, but the register would say something impossible or unlawful.
function refuse(message: string, field: string): never {
  throw new MixgateError('invalid_request', message, 422, { field });
}

/**
 * Checks the state an incident would have after a create or update, so that the register never
 * holds a contradiction, whichever order staff fill it in. `previous` is null on create.
 */
export function checkIncidentRules(next: IncidentState, previous: IncidentState | null, now: Date): void {
  if (next.awareAt > now) refuse('awareAt cannot be in the future', 'awareAt');
  if (next.occurredAt && next.occurredAt > next.awareAt) {
    refuse(
      'occurredAt cannot be after awareAt: nobody is aware of an incident before it happens',
      'occurredAt',
    );
  }
  if (next.subjectsNotifiedAt && next.subjectsNotifiedAt > now) {
    refuse('subjectsNotifiedAt cannot be in the future', 'subjectsNotifiedAt');
  }
  if (
    previous &&
    INCIDENT_STATUSES.indexOf(next.status as never) < INCIDENT_STATUSES.indexOf(previous.status as never)
  ) {
    refuse(`An incident moves forward only (open, contained, closed); it is ${previous.status}`, 'status');
  }
  checkAuthorityNotification(next, now);
  if (next.status === 'closed' && next.personalDataBreach) {
    const decided =
      next.authorityNotifiedAt !== null || (next.notifyAuthority === false && next.noNotificationReason);
    if (!decided) {
      refuse(
        'A personal-data breach can be closed only once the authority was notified (authorityNotifiedAt), or with notifyAuthority false and the reason in noNotificationReason (GDPR Art. 33(5))',
        'status',
      );
    }
  }
}

function checkAuthorityNotification(next: IncidentState, now: Date): void {
  const notifiedAt = next.authorityNotifiedAt;
  if (!notifiedAt) return;
  if (notifiedAt > now) refuse('authorityNotifiedAt cannot be in the future', 'authorityNotifiedAt');
  if (notifiedAt < next.awareAt)
    refuse('authorityNotifiedAt cannot be before awareAt', 'authorityNotifiedAt');
  if (next.notifyAuthority === false) {
    refuse(
      'notifyAuthority is false, yet authorityNotifiedAt is set: correct one of them',
      'notifyAuthority',
    );
  }
  if (notifiedAt > notificationDeadline(next.awareAt) && !next.delayReason) {
    refuse(
      `The authority was notified ${hoursAfterAwareness(next.awareAt, notifiedAt)} hours after awareAt, later than the ${NOTIFICATION_WINDOW_HOURS} hours of GDPR Art. 33(1): state the reasons for the delay in delayReason`,
      'delayReason',
    );
  }
}
