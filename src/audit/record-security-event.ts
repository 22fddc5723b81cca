import { desc, sql } from 'drizzle-orm';
import { securityEvents } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { GENESIS_HASH, hashSecurityEvent, type SecurityEventContent } from './security-event-hash.js';

export const SECURITY_EVENT_TYPES = [
  'sign_in_succeeded',
  'sign_in_failed',
  'account_locked',
  'sign_out',
  'signed_up',
  'email_verified',
  'password_changed',
  'password_reset_requested',
  'password_reset',
  'two_factor_enabled',
  'two_factor_disabled',
  'recovery_code_used',
  'session_revoked',
  'api_key_created',
  'api_key_revoked',
  'role_changed',
  'organisation_created',
  'member_invited',
  'member_joined',
  'member_removed',
  'ownership_transferred',
  'staff_created',
  'account_suspended',
  'account_unsuspended',
  'recovery_codes_regenerated',
  'invitation_revoked',
  'member_updated',
  'credit_adjusted',
  'promotion_granted',
  'profile_updated',
  'email_change_requested',
  'email_changed',
  'legal_hold_placed',
  'legal_hold_released',
  'retention_sweep',
  'privacy_request_received',
  'privacy_request_verified',
  'privacy_request_refused',
  'privacy_request_completed',
  'privacy_request_rejected',
  'data_export_ready',
  'data_export_downloaded',
  'erasure_started',
  'erasure_completed',
  'deletion_receipt_downloaded',
  'account_closed',
  'account_reopened',
  'organisation_closed',
  'organisation_reopened',
  'organisation_content_erased',
  'legal_document_published',
  'incident_recorded',
  'incident_updated',
  'incident_deadline_reminded',
  'incident_organisations_notified',
  'privacy_request_deadline_reminded',
  'staff_content_access',
] as const;

export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

export interface SecurityEventInput {
  type: SecurityEventType;
  userId?: string | null;
  actorId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown>;
  occurredAt?: Date;
}

// Any constant works; it only has to differ from the other advisory locks (database.ts).
const SECURITY_LOG_LOCK_KEY = 7_325_011_002;
const SENSITIVE_KEY = /password|token|secret|key|prompt/i;
// These name an API key without revealing it: the id is a row id and the prefix is shown in the UI.
const ALLOWED_KEYS: ReadonlySet<string> = new Set(['keyId', 'keyPrefix']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A client chooses its User-Agent; a long one must not bloat a log that can never be pruned.
const MAX_USER_AGENT_LENGTH = 512;

/**
 * Appends one event to the hash-chained security log. Writers take turns under a transaction-scoped
 * advisory lock, so concurrent calls still form one chain. Given a transaction, the event commits
 * or rolls back with it (a savepoint inside it), and other writers wait until it ends.
 */
export async function recordSecurityEvent(db: DbOrTransaction, event: SecurityEventInput): Promise<void> {
  const content = securityEventContent(event);
  await db.transaction(async (tx) => {
    const locked = await tx.execute<{ isolation: string }>(
      sql`SELECT current_setting('transaction_isolation') AS isolation, pg_advisory_xact_lock(${SECURITY_LOG_LOCK_KEY})`,
    );
    // Under a snapshot taken before the lock was granted, the last row read could be stale and fork the chain.
    if (locked.rows[0]?.isolation !== 'read committed') {
      throw new Error('recordSecurityEvent needs a READ COMMITTED transaction');
    }
    const [last] = await tx
      .select({ hash: securityEvents.hash })
      .from(securityEvents)
      .orderBy(desc(securityEvents.id))
      .limit(1);
    const previousHash = last?.hash ?? GENESIS_HASH;
    await tx
      .insert(securityEvents)
      .values({ ...content, previousHash, hash: hashSecurityEvent(previousHash, content) });
  });
}

/** Throws if any key at any depth could hold a password, token, key or prompt (a programming error). */
export function assertNoSecrets(value: unknown, path = 'details'): void {
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) assertNoSecrets(item, `${path}[${index}]`);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (SENSITIVE_KEY.test(key) && !ALLOWED_KEYS.has(key)) {
        throw new Error(`Security event ${path} must not contain "${key}": it may hold a secret`);
      }
      assertNoSecrets(child, `${path}.${key}`);
    }
  }
}

/** Normalises the input to exactly what PostgreSQL will hand back, so the hash verifies later. */
function securityEventContent(event: SecurityEventInput): SecurityEventContent {
  if (!SECURITY_EVENT_TYPES.includes(event.type))
    throw new Error(`Unknown security event type "${event.type}"`);
  // The JSON round trip applies toJSON and drops undefined, as storing into jsonb does.
  const details: unknown = JSON.parse(JSON.stringify(event.details ?? {}));
  if (details === null || typeof details !== 'object' || Array.isArray(details)) {
    throw new Error('Security event details must be an object');
  }
  assertNoSecrets(details);
  const occurredAt = event.occurredAt ?? new Date();
  if (Number.isNaN(occurredAt.getTime())) throw new Error('Security event occurredAt is not a valid date');
  return {
    occurredAt,
    type: event.type,
    userId: normaliseUuid(event.userId, 'userId'),
    actorId: normaliseUuid(event.actorId, 'actorId'),
    ip: wellFormed(event.ip),
    userAgent: wellFormed(event.userAgent?.slice(0, MAX_USER_AGENT_LENGTH)),
    details: details as Record<string, unknown>,
  };
}

// PostgreSQL returns uuids in lowercase, and the hash must cover what verification will read.
function normaliseUuid(value: string | null | undefined, field: string): string | null {
  if (value === null || value === undefined) return null;
  if (!UUID.test(value)) throw new Error(`Security event ${field} must be a UUID`);
  return value.toLowerCase();
}

// The driver writes a lone UTF-16 surrogate (say, a User-Agent cut mid-emoji) as U+FFFD; hash that instead.
function wellFormed(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : Buffer.from(value, 'utf8').toString('utf8');
}

/** The common event: a user acting on their own account, from a request (or the CLI: null). */
export function ownAccountEvent(
  type: SecurityEventType,
  userId: string,
  meta: { ip?: string | null; userAgent?: string | null } | null,
  occurredAt: Date,
  details: Record<string, unknown> = {},
): SecurityEventInput {
  return { type, userId, actorId: userId, ip: meta?.ip, userAgent: meta?.userAgent, occurredAt, details };
}
