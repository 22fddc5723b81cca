import type { SQL } from 'drizzle-orm';
import type { DbOrTransaction } from '../db/transaction.js';
import { type Settlement, type SettleResult, settleHolds, settlementError } from './holds.js';

export interface SettlementQueue<R = never> {
  /**
   * Captures `amount` of the hold; resolves once the capture is durably committed, together with
   * `record` when one is given (see SettlementQueueOptions.recordsSql).
   */
  post(holdId: number, amount: bigint, record?: R): Promise<SettleResult>;
  /** Releases the hold; resolves once committed. */
  void(holdId: number, record?: R): Promise<SettleResult>;
  /** Waits until everything queued so far is settled. */
  drain(): Promise<void>;
  /**
   * Resolves once every capture already reported to its caller is committed in the database, so a
   * read sees it. Here that is at once (a post resolves after its commit); a journaled queue's
   * captures resolve earlier (journaled-settlements.ts).
   */
  committed(): Promise<void>;
  /** Captures reported to their callers and not yet committed in the database. */
  readonly pending: number;
}

interface Pending<R> {
  settlement: Exclude<Settlement, 'expired'>;
  holdId: number;
  amount?: bigint;
  record?: R;
  resolve(result: SettleResult): void;
  reject(error: unknown): void;
}

export interface SettlementQueueOptions<R = never> {
  now: () => Date;
  /**
   * SQL that writes the records of a batch in the same statement as its settlement (see
   * settleHolds' `alsoWrite`: common table expressions that see the settlement as `settled` and
   * must write only for holds whose outcome there is posted, voided, expired or replayed): the
   * gateway's usage rows, so that every captured amount has its record, in one round trip. A
   * failure rolls the whole batch back and rejects all of it.
   */
  recordsSql?: (records: R[]) => SQL;
  /** Most holds settled in one transaction. */
  maxBatch?: number;
  /** Called with each batch's size (metrics, tests). */
  onBatch?: (size: number) => void;
}

/**
 * Group commit for settlements (DESIGN.md "Hot path budget"): while one batch transaction is in
 * flight, new settlements queue up and go together in the next one. An idle queue settles at once,
 * so a lone request waits no longer than with a direct call; under load, one WAL flush and one
 * update of each hot row serve a whole batch. A promise resolves only after its batch committed,
 * so a cost reported to a client can never be lost in a crash.
 * Errors that concern one hold (already voided, too large…) reject that settlement only.
 */
export function createSettlementQueue<R = never>(
  db: DbOrTransaction,
  options: SettlementQueueOptions<R>,
): SettlementQueue<R> {
  const maxBatch = options.maxBatch ?? 500;
  let pending: Pending<R>[] = [];
  let inFlight: Promise<void> | undefined;

  function enqueue(item: Omit<Pending<R>, 'resolve' | 'reject'>): Promise<SettleResult> {
    return new Promise<SettleResult>((resolve, reject) => {
      pending.push({ ...item, resolve, reject });
      if (!inFlight) inFlight = run();
    });
  }

  async function run(): Promise<void> {
    while (pending.length > 0) {
      const batch = takeBatch();
      await Promise.all([settleBatch(batch, 'posted'), settleBatch(batch, 'voided')]);
    }
    inFlight = undefined;
  }

  /** Takes up to maxBatch items, leaving a second settlement of the same hold for the next batch. */
  function takeBatch(): Pending<R>[] {
    const batch: Pending<R>[] = [];
    const rest: Pending<R>[] = [];
    const seen = new Set<number>();
    for (const item of pending) {
      if (batch.length < maxBatch && !seen.has(item.holdId)) {
        seen.add(item.holdId);
        batch.push(item);
      } else {
        rest.push(item);
      }
    }
    pending = rest;
    return batch;
  }

  async function settleBatch(batch: Pending<R>[], settlement: Pending<R>['settlement']): Promise<void> {
    const items = batch.filter((item) => item.settlement === settlement);
    if (items.length === 0) return;
    options.onBatch?.(items.length);
    try {
      const records = items.flatMap((item) => (item.record === undefined ? [] : [item.record]));
      const alsoWrite = options.recordsSql && records.length > 0 ? options.recordsSql(records) : undefined;
      const results = await settleHolds(db, settlement, items, options.now(), { alsoWrite });
      const byHold = new Map(results.map((result) => [result.holdId, result]));
      for (const item of items) {
        const result = byHold.get(item.holdId)!;
        const error = settlementError(result);
        if (error) item.reject(error);
        else item.resolve(result);
      }
    } catch (error) {
      for (const item of items) item.reject(error);
    }
  }

  return {
    post(holdId, amount, record) {
      if (amount < 0n) return Promise.reject(new RangeError('A posted amount cannot be negative'));
      return enqueue({ settlement: 'posted', holdId, amount, record });
    },
    void(holdId, record) {
      return enqueue({ settlement: 'voided', holdId, record });
    },
    async drain() {
      while (inFlight) await inFlight;
    },
    async committed() {},
    pending: 0,
  };
}
