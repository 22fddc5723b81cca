import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { privacyRequests, users } from '../../db/schema/index.js';
import {
  isOverdue,
  OPEN_STATUSES,
  type PrivacyRequest,
  type PrivacyRequestStatus,
  type PrivacyRequestType,
} from './request-kinds.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** A request as its owner sees it. */
export function ownRequestView(request: PrivacyRequest, now: Date) {
  const downloadable =
    request.exportLocation !== null && request.exportExpiresAt !== null && request.exportExpiresAt > now;
  return {
    id: request.id,
    type: request.type as PrivacyRequestType,
    status: request.status as PrivacyRequestStatus,
    source: request.source as 'app' | 'staff' | 'termination' | 'retention',
    details: request.details,
    receivedAt: request.receivedAt.toISOString(),
    dueAt: request.dueAt.toISOString(),
    verifiedAt: iso(request.verifiedAt),
    completedAt: iso(request.completedAt),
    blockedReason: request.blockedReason,
    export:
      request.type === 'access' && request.exportExpiresAt
        ? {
            url: downloadable ? `/api/privacy/requests/${request.id}/export` : null,
            expiresAt: request.exportExpiresAt.toISOString(),
          }
        : null,
  };
}

export async function listOwnRequests(db: Db, userId: string): Promise<PrivacyRequest[]> {
  return db
    .select()
    .from(privacyRequests)
    .where(eq(privacyRequests.userId, userId))
    .orderBy(desc(privacyRequests.receivedAt))
    .limit(200);
}

/** A request as staff see it: with the account, its deadline and whether it is overdue. */
export function staffRequestView(
  row: { request: PrivacyRequest; email: string; username: string },
  now: Date,
) {
  const { request } = row;
  return {
    ...ownRequestView(request, now),
    export: request.exportExpiresAt ? { expiresAt: request.exportExpiresAt.toISOString() } : null,
    userId: request.userId,
    email: row.email,
    username: row.username,
    handledBy: request.handledBy,
    notes: request.notes,
    verification: request.verification,
    overdue: isOverdue(request, now),
    receiptUrl:
      request.type === 'erasure' && request.status === 'completed' && request.receipt
        ? `/api/console/privacy-requests/${request.id}/receipt`
        : null,
  };
}

export async function listAllRequests(
  db: Db,
  filter: { status?: PrivacyRequestStatus; open?: boolean; overdue?: boolean; now: Date; limit: number },
) {
  return db
    .select({ request: privacyRequests, email: users.email, username: users.username })
    .from(privacyRequests)
    .innerJoin(users, eq(users.id, privacyRequests.userId))
    .where(
      and(
        filter.status ? eq(privacyRequests.status, filter.status) : undefined,
        filter.open || filter.overdue ? inArray(privacyRequests.status, [...OPEN_STATUSES]) : undefined,
        filter.overdue ? lt(privacyRequests.dueAt, filter.now) : undefined,
      ),
    )
    .orderBy(privacyRequests.dueAt)
    .limit(filter.limit);
}

export async function findStaffRequest(db: Db, requestId: string) {
  const [row] = await db
    .select({ request: privacyRequests, email: users.email, username: users.username })
    .from(privacyRequests)
    .innerJoin(users, eq(users.id, privacyRequests.userId))
    .where(eq(privacyRequests.id, requestId));
  return row;
}
