/**
 * The 72-hour clock of GDPR Art. 33(1): a personal-data breach is notified to the supervisory
 * authority without undue delay and, where feasible, within 72 hours of becoming aware of it.
 */
const HOUR_MS = 3_600_000;
export const NOTIFICATION_WINDOW_HOURS = 72;

export interface ClockFacts {
  awareAt: Date;
  personalDataBreach: boolean;
  notifyAuthority: boolean | null;
  authorityNotifiedAt: Date | null;
}

export interface NotificationClock {
  notificationDeadline: Date;
  /** Negative when overdue; null when the authority was notified or need not be. */
  hoursLeft: number | null;
  overdue: boolean;
}

export function notificationDeadline(awareAt: Date): Date {
  return new Date(awareAt.getTime() + NOTIFICATION_WINDOW_HOURS * HOUR_MS);
}

/** Still ticking: a breach whose notification is undecided or decided but not yet made. */
export function isNotificationPending(incident: ClockFacts): boolean {
  return (
    incident.personalDataBreach && incident.notifyAuthority !== false && incident.authorityNotifiedAt === null
  );
}

export function notificationClock(incident: ClockFacts, now: Date): NotificationClock {
  const deadline = notificationDeadline(incident.awareAt);
  if (!isNotificationPending(incident)) {
    return { notificationDeadline: deadline, hoursLeft: null, overdue: false };
  }
  const msLeft = deadline.getTime() - now.getTime();
  // One decimal is precise enough for a countdown and keeps the JSON readable.
  return {
    notificationDeadline: deadline,
    hoursLeft: Math.round(msLeft / HOUR_MS / 0.1) / 10,
    overdue: msLeft < 0,
  };
}

/** Hours from awareness to the notification, for the late-notification message. */
export function hoursAfterAwareness(awareAt: Date, at: Date): number {
  return Math.floor((at.getTime() - awareAt.getTime()) / HOUR_MS);
}
