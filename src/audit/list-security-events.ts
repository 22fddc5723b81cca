import { and, desc, eq, lt } from 'drizzle-orm';
import { securityEvents } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { MixgateError } from '../lib/errors.js';
import type { SecurityEventType } from './record-security-event.js';
import type { SecurityEventContent } from './security-event-hash.js';

export interface ListSecurityEventsOptions {
  userId?: string;
  type?: SecurityEventType;
  limit: number;
  /** Cursor: the id of the last event on the previous page. */
  beforeId?: string;
}

export interface SecurityEventView extends SecurityEventContent {
  id: string;
}

const MAX_LIMIT = 200;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** Security events, newest first, for a user's own security page or for staff. */
export async function listSecurityEvents(
  db: DbOrTransaction,
  options: ListSecurityEventsOptions,
): Promise<SecurityEventView[]> {
  if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_LIMIT) {
    throw new MixgateError('invalid_request', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  const beforeId = parseId(options.beforeId);
  const rows = await db
    .select({
      id: securityEvents.id,
      occurredAt: securityEvents.occurredAt,
      type: securityEvents.type,
      userId: securityEvents.userId,
      actorId: securityEvents.actorId,
      ip: securityEvents.ip,
      userAgent: securityEvents.userAgent,
      details: securityEvents.details,
    })
    .from(securityEvents)
    .where(
      and(
        options.userId === undefined ? undefined : eq(securityEvents.userId, options.userId),
        options.type === undefined ? undefined : eq(securityEvents.type, options.type),
        beforeId === undefined ? undefined : lt(securityEvents.id, beforeId),
      ),
    )
    .orderBy(desc(securityEvents.id))
    .limit(options.limit);
  return rows.map((row) => ({ ...row, id: row.id.toString() }));
}

function parseId(value: string | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  const id = /^\d{1,19}$/.test(value) ? BigInt(value) : -1n;
  if (id < 1n || id > MAX_BIGINT)
    throw new MixgateError('invalid_request', 'beforeId must be a security event id');
  return id;
}
