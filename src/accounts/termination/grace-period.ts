import type { Config } from '../../config.js';

const DAY_MS = 86_400_000;

/**
 * When a closed account's or organisation's content may be deleted: the grace period
 * (RETENTION_CLOSED_ACCOUNT_GRACE_DAYS) after the closure. The daily retention sweep deletes it on
 * its first run after this instant; until then the operator can reopen it.
 */
export function contentDeletedAfter(
  closedAt: Date,
  config: Pick<Config, 'RETENTION_CLOSED_ACCOUNT_GRACE_DAYS'>,
): Date {
  return new Date(closedAt.getTime() + config.RETENTION_CLOSED_ACCOUNT_GRACE_DAYS * DAY_MS);
}

/** A moment as the mails write it: unambiguous whatever the reader's time zone. */
export function mailDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
