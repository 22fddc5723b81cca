import type { DbOrTransaction } from '../db/transaction.js';
import { type HoldInput, type PlacedHold, placeHold, placeHolds } from './holds.js';

export interface HoldQueue {
  /** Places the hold as placeHold does (same errors); resolves once its batch has run. */
  place(input: HoldInput): Promise<PlacedHold>;
  /**
   * Places several holds together: when a slot is free they go in one statement (with anything
   * already waiting), where `place` called once each would start a statement for each while
   * slots are free. One promise per input, in order, each as `place` would give it.
   */
  placeAll(inputs: readonly HoldInput[]): Promise<PlacedHold>[];
  /** Waits until everything queued so far is placed or refused. */
  drain(): Promise<void>;
}

export interface HoldQueueOptions {
  /** Most holds placed in one statement. */
  maxBatch?: number;
  /** Batches running at once, each on its own pooled connection. */
  maxInFlight?: number;
  /** Called with each batch's size (metrics, tests). */
  onBatch?: (size: number) => void;
}

interface Pending {
  input: HoldInput;
  resolve(hold: PlacedHold): void;
  reject(error: unknown): void;
}

/**
 * Group commit for holds, the counterpart of the settlement queue (DESIGN.md "Hot path budget":
 * the hold stays the request's one round trip before the upstream call, shared by every request
 * that arrived meanwhile). A queue with a free slot places at once, so a lone request waits no
 * longer than with placeHold; under load, the requests that arrive while the slots are busy go
 * together in the next statement, which costs PostgreSQL one transaction and one commit instead
 * of one each, and Node one query instead of one each.
 * A batch whose statement fails (a database error, not a refusal) is retried one hold at a time, so
 * a bad hold cannot fail the requests it happened to be batched with.
 */
export function createHoldQueue(db: DbOrTransaction, options: HoldQueueOptions = {}): HoldQueue {
  const maxBatch = options.maxBatch ?? 200;
  const maxInFlight = options.maxInFlight ?? 2;
  let pending: Pending[] = [];
  const running = new Set<Promise<void>>();

  function pump(): void {
    while (pending.length > 0 && running.size < maxInFlight) {
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(batch.length);
      const run = placeBatch(batch).finally(() => {
        running.delete(run);
        pump();
      });
      running.add(run);
    }
  }

  async function placeBatch(batch: Pending[]): Promise<void> {
    options.onBatch?.(batch.length);
    if (batch.length === 1) {
      const [only] = batch;
      await placeHold(db, only!.input).then(only!.resolve, only!.reject);
      return;
    }
    let results: PromiseSettledResult<PlacedHold>[];
    try {
      results = await placeHolds(
        db,
        batch.map((item) => item.input),
      );
    } catch {
      await Promise.all(batch.map((item) => placeHold(db, item.input).then(item.resolve, item.reject)));
      return;
    }
    batch.forEach((item, index) => {
      const result = results[index]!;
      if (result.status === 'fulfilled') item.resolve(result.value);
      else item.reject(result.reason);
    });
  }

  function enqueue(input: HoldInput): Promise<PlacedHold> {
    return new Promise<PlacedHold>((resolve, reject) => pending.push({ input, resolve, reject }));
  }

  return {
    place(input) {
      const placed = enqueue(input);
      pump();
      return placed;
    },
    placeAll(inputs) {
      const placed = inputs.map(enqueue);
      pump();
      return placed;
    },
    async drain() {
      // pump() starts a batch whenever one is pending and a slot is free, so nothing waits unrun.
      while (running.size > 0) await Promise.all(running);
    },
  };
}
