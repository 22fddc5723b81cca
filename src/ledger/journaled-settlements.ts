/**
 * Captures made durable in the settlement journal, then committed to PostgreSQL behind the
 * response (DESIGN.md "Hot path budget": a crash may lose holds, never a captured amount already
 * reported to the client; here the journal holds it until the database does).
 *
 * Why: a capture committed in the database before the response costs a lone request a round trip
 * that wakes PostgreSQL and waits for its WAL flush (about 2 ms of its 3–5 ms overhead on the
 * two-core machine we measure on); a line written with O_DSYNC to a file on the same disk costs
 * about 0.2 ms. The journal lives in the data directory beside the embedded cluster, so it is as
 * durable as the database's own log. Voids are not journaled: a void lost in a crash is a hold
 * that expires, which the design already allows.
 *
 * Reads that must see a capture (the generation, balances, usage) wait for `committed()`: the
 * server does so before every request that is not a new generation (see app.ts).
 */
import type { SQL } from 'drizzle-orm';
import type { DbOrTransaction } from '../db/transaction.js';
import { MixgateError } from '../lib/errors.js';
import { type SettleResult, settleHolds, settlementError } from './holds.js';
import type { JournalEntry, SettlementJournal } from './settlement-journal.js';
import type { SettlementQueue } from './settlement-queue.js';

/** A pino-style logger (Fastify's): details first, then the message. */
export interface JournaledSettlementsLog {
  info(detail: object, message: string): void;
  warn(detail: object, message: string): void;
  error(detail: object, message: string): void;
}

export interface JournaledSettlements<R> extends SettlementQueue<R> {
  /** Applies what is journaled, empties the journal when all of it is in the database, closes it. */
  close(): Promise<void>;
}

/** The journal is emptied once everything in it is committed and it has grown this large… */
const TRUNCATE_AT_BYTES = 1 << 20;
/** …or once it has been fully committed and quiet this long (it holds usage metadata). */
const TRUNCATE_WHEN_IDLE_MS = 1_000;
/** Backoff between attempts to commit a journaled capture while the database is unreachable. */
const RETRY_MS = [50, 200, 1_000, 5_000];

export function createJournaledSettlements<R>(
  queue: SettlementQueue<R>,
  journal: SettlementJournal<R>,
  options: { now: () => Date; log: JournaledSettlementsLog },
): JournaledSettlements<R> {
  const { log } = options;
  /** Journaled captures not yet committed (or refused) by the database. */
  const applying = new Set<Promise<void>>();
  /** Entries appended since the journal was last emptied and not yet committed or refused. */
  let outstanding = 0;
  /** Set when the disk refused a write: from then on captures go straight to the database. */
  let direct = false;
  let closing = false;
  let idleTimer: NodeJS.Timeout | undefined;

  function apply(entry: JournalEntry<R>): void {
    const applied: Promise<void> = commit(entry).then(
      () => {
        outstanding--;
        applying.delete(applied);
        if (outstanding === 0) caughtUp();
      },
      (error: unknown) => {
        // Left in the journal: the next start replays it.
        applying.delete(applied);
        log.error(
          { err: error, holdId: entry.holdId },
          'a journaled capture could not be committed; the next start replays it',
        );
      },
    );
    applying.add(applied);
  }

  async function commit(entry: JournalEntry<R>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await queue.post(entry.holdId, entry.amount, entry.record);
        return;
      } catch (error) {
        if (error instanceof MixgateError) {
          // The hold was settled otherwise (expired, voided): nothing to capture, nothing to retry.
          log.warn(
            { holdId: entry.holdId, code: error.code },
            'a journaled capture was refused by the ledger',
          );
          return;
        }
        if (closing || attempt >= RETRY_MS.length) throw error;
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS[attempt]));
      }
    }
  }

  function caughtUp(): void {
    if (journal.size >= TRUNCATE_AT_BYTES) {
      void truncateIfCaughtUp();
      return;
    }
    if (idleTimer || journal.size === 0) return;
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      void truncateIfCaughtUp();
    }, TRUNCATE_WHEN_IDLE_MS);
    idleTimer.unref();
  }

  async function truncateIfCaughtUp(): Promise<void> {
    // Checked by the journal's writer when the truncation's turn comes, with no write between: an
    // entry appended after this call (counted in `outstanding` before it is written) is never cut.
    await journal
      .truncate(() => outstanding === 0)
      .catch((error: unknown) => log.warn({ err: error }, 'emptying the settlement journal failed'));
  }

  const settlements: JournaledSettlements<R> = {
    async post(holdId, amount, record) {
      if (amount < 0n) throw new RangeError('A posted amount cannot be negative');
      if (direct || closing) return queue.post(holdId, amount, record);
      const entry: JournalEntry<R> = { holdId, amount, at: options.now(), record };
      outstanding++;
      try {
        await journal.append(entry);
      } catch (error) {
        outstanding--;
        direct = true;
        log.error(
          { err: error },
          'the settlement journal cannot be written; captures go straight to the database',
        );
        return queue.post(holdId, amount, record);
      }
      apply(entry);
      return { holdId, outcome: 'posted', transferId: null, postedAmount: amount } satisfies SettleResult;
    },
    void: (holdId, record) => queue.void(holdId, record),
    async drain() {
      while (applying.size > 0) await Promise.allSettled([...applying]);
      await queue.drain();
    },
    async committed() {
      // Only the captures reported so far: under steady load new ones never stop coming.
      await Promise.allSettled([...applying]);
    },
    get pending() {
      return applying.size;
    },
    async close() {
      closing = true;
      clearTimeout(idleTimer);
      await settlements.drain();
      if (outstanding === 0) await truncateIfCaughtUp();
      await journal.close();
    },
  };
  return settlements;
}

/**
 * Commits every capture a crash left in the journal (oldest first, in batches at their own time)
 * before the server takes requests; a capture already committed reports `replayed` and changes
 * nothing, so replaying twice is harmless. Returns how many captures were committed now.
 */
export async function replayJournal<R>(
  db: DbOrTransaction,
  entries: readonly JournalEntry<R>[],
  options: { recordsSql?: (records: R[]) => SQL; log: JournaledSettlementsLog },
): Promise<number> {
  let posted = 0;
  const BATCH = 500;
  // One settlement per hold: a repeated entry (never written twice, but cheap to guard) is dropped.
  const seen = new Set<number>();
  const unique = entries.filter((entry) => !seen.has(entry.holdId) && seen.add(entry.holdId));
  for (let start = 0; start < unique.length; start += BATCH) {
    const batch = unique.slice(start, start + BATCH);
    const records = batch.flatMap((entry) => (entry.record === undefined ? [] : [entry.record]));
    const results = await settleHolds(
      db,
      'posted',
      batch.map((entry) => ({ holdId: entry.holdId, amount: entry.amount })),
      batch[0]!.at,
      { alsoWrite: options.recordsSql && records.length > 0 ? options.recordsSql(records) : undefined },
    );
    for (const result of results) {
      if (result.outcome === 'posted') posted++;
      const error = settlementError(result);
      if (error) {
        options.log.warn(
          { holdId: result.holdId, code: error.code },
          'a journaled capture was refused by the ledger at replay',
        );
      }
    }
  }
  return posted;
}
