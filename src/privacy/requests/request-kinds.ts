/**
 * The vocabulary of privacy requests (GDPR Art. 15–21) and their deadlines. The table lives in
 * src/db/schema/privacy-requests.ts; its check constraints list the same values.
 */
import type { privacyRequests } from '../../db/schema/index.js';

export const PRIVACY_REQUEST_TYPES = [
  'access',
  'erasure',
  'rectification',
  'restriction',
  'objection',
  'consent_withdrawal',
] as const;
export type PrivacyRequestType = (typeof PRIVACY_REQUEST_TYPES)[number];

/** Answered by staff by hand; access and erasure are carried out by the jobs. */
export const MANUAL_REQUEST_TYPES: readonly PrivacyRequestType[] = [
  'rectification',
  'restriction',
  'objection',
  'consent_withdrawal',
];

export const PRIVACY_REQUEST_STATUSES = [
  'awaiting_verification',
  'in_progress',
  'completed',
  'rejected',
] as const;
export type PrivacyRequestStatus = (typeof PRIVACY_REQUEST_STATUSES)[number];

export const OPEN_STATUSES: readonly PrivacyRequestStatus[] = ['awaiting_verification', 'in_progress'];

export type PrivacyRequest = typeof privacyRequests.$inferSelect;

const DAY_MS = 86_400_000;
/** How long the export archive can be downloaded before it is deleted. */
export const EXPORT_LIFETIME_MS = 7 * DAY_MS;
/** How long the link that verifies a request entered by staff stays valid. */
export const VERIFICATION_LINK_LIFETIME_MS = 7 * DAY_MS;

/**
 * Art. 12(3): "within one month of receipt". As Regulation 1182/71 counts months: the same date
 * in the next month, or that month's last day when it has no such date (31 January -> 28/29 February).
 */
export function dueDate(receivedAt: Date): Date {
  const day = receivedAt.getUTCDate();
  const due = new Date(receivedAt);
  due.setUTCDate(1);
  due.setUTCMonth(due.getUTCMonth() + 1);
  const lastDay = new Date(Date.UTC(due.getUTCFullYear(), due.getUTCMonth() + 1, 0)).getUTCDate();
  due.setUTCDate(Math.min(day, lastDay));
  return due;
}

/** Still open past its deadline: staff see it flagged. */
export function isOverdue(request: Pick<PrivacyRequest, 'status' | 'dueAt'>, now: Date): boolean {
  return OPEN_STATUSES.includes(request.status as PrivacyRequestStatus) && request.dueAt < now;
}

/** Where an access request's archive is kept, relative to the data directory (see DATA_FILES). */
export function exportLocation(userId: string, requestId: string): string {
  return `exports/${userId}/${requestId}.zip`;
}
