import { sha256Hex } from '../lib/crypto.js';

/** The `previous_hash` of the first row in the security log. */
export const GENESIS_HASH = '0'.repeat(64);

/** The columns a security event's hash covers (everything except id and the hashes). */
export interface SecurityEventContent {
  occurredAt: Date;
  type: string;
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

/**
 * JSON with object keys sorted at every depth. Expects plain JSON values (what jsonb gives back),
 * because jsonb reorders keys and the hash must not depend on the order they were written in.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The one serialisation used both to record and to verify the log. */
export function serialiseSecurityEvent(content: SecurityEventContent): string {
  return canonicalJson([
    content.occurredAt.toISOString(),
    content.type,
    content.userId,
    content.actorId,
    content.ip,
    content.userAgent,
    content.details,
  ]);
}

export function hashSecurityEvent(previousHash: string, content: SecurityEventContent): string {
  return sha256Hex(previousHash + serialiseSecurityEvent(content));
}
