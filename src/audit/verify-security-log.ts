import { asc, gt } from 'drizzle-orm';
import { securityEvents } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { GENESIS_HASH, hashSecurityEvent } from './security-event-hash.js';

export interface SecurityLogVerification {
  ok: boolean;
  /** Rows that verified (before the first bad one, when there is one). */
  checked: number;
  /** Rows whose personal data the retention engine cleared: their links are checked, not their content. */
  redacted: number;
  firstBadId?: string;
  reason?: string;
}

const BATCH_SIZE = 1_000;

/**
 * Walks the whole log in id order, a batch at a time, recomputing the hash chain. An altered row
 * fails its own hash; a removed or inserted row fails the next row's `previous_hash`. Removing the
 * newest rows leaves a valid (shorter) chain, which this cannot notice.
 *
 * A redacted row (retention cleared its personal columns) keeps its hashes, so the chain still links
 * through it; its content can no longer be checked (the count is reported, so an operator can
 * compare it with the retention sweeps' own entries in the log).
 */
export async function verifySecurityLog(db: DbOrTransaction): Promise<SecurityLogVerification> {
  let expectedPreviousHash = GENESIS_HASH;
  let checked = 0;
  let redacted = 0;
  let afterId: bigint | undefined;
  for (;;) {
    const rows = await db
      .select()
      .from(securityEvents)
      .where(afterId === undefined ? undefined : gt(securityEvents.id, afterId))
      .orderBy(asc(securityEvents.id))
      .limit(BATCH_SIZE);
    for (const row of rows) {
      if (row.previousHash !== expectedPreviousHash) {
        return {
          ok: false,
          checked,
          redacted,
          firstBadId: row.id.toString(),
          reason: 'previous_hash does not match the preceding row: a row was removed, inserted or rewritten',
        };
      }
      if (row.redactedAt) {
        redacted += 1;
      } else if (hashSecurityEvent(row.previousHash, row) !== row.hash) {
        return {
          ok: false,
          checked,
          redacted,
          firstBadId: row.id.toString(),
          reason: "hash does not match the row's content",
        };
      }
      expectedPreviousHash = row.hash;
      checked += 1;
    }
    const last = rows.at(-1);
    if (rows.length < BATCH_SIZE || !last) return { ok: true, checked, redacted };
    afterId = last.id;
  }
}
