import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { checkLedger } from './check-ledger.js';
import { createHoldQueue } from './hold-queue.js';
import type { HoldInput } from './holds.js';
import { InsufficientCreditError } from './ledger-errors.js';
import { fundedTestWallet } from './ledger-test-fixtures.js';
import { readBalance } from './read-balance.js';
import { SYSTEM_ACCOUNTS } from './system-accounts.js';

const database = await createTestDatabase();
const db = database.db;
const now = new Date('2026-11-23T12:00:00Z');

function hold(userId: string, key: string, amount: bigint, extra: Partial<HoldInput> = {}): HoldInput {
  return {
    wallet: { userId },
    amount,
    idempotencyKey: key,
    expiresAt: new Date(now.getTime() + 60_000),
    now,
    actor: 'system',
    ...extra,
  };
}

async function openHoldCount(userId: string): Promise<number> {
  const result = await db.execute<{ count: number }>(sql`
    SELECT count(*)::int AS count FROM ledger_holds h JOIN ledger_accounts a ON a.id = h.account_id
     WHERE a.user_id = ${userId} AND h.status = 'open'`);
  return result.rows[0]!.count;
}

describe('hold queue', () => {
  it('places concurrent holds on many wallets in fewer statements than holds, each reserved once', async () => {
    const wallets = await Promise.all(Array.from({ length: 20 }, () => fundedTestWallet(db, 10_000_000n)));
    const batches: number[] = [];
    const queue = createHoldQueue(db, { onBatch: (size) => batches.push(size) });
    const placed = await Promise.all(
      wallets.flatMap(({ userId }) =>
        [1n, 2n, 3n, 4n, 5n].map((n) => queue.place(hold(userId, `many-${userId}-${n}`, n * 100_000n))),
      ),
    );
    expect(placed.every((result) => !result.replayed)).toBe(true);
    expect(new Set(placed.map((result) => result.holdId)).size).toBe(100);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(100);
    expect(batches.length).toBeLessThan(100);
    expect(Math.max(...batches)).toBeGreaterThan(1);
    for (const { userId } of wallets) {
      expect(await readBalance(db, { userId })).toMatchObject({ balance: 10_000_000n, held: 1_500_000n });
      expect(await openHoldCount(userId)).toBe(5);
    }
  });

  it('places the holds given together in one statement, each resolved on its own', async () => {
    const { userId } = await fundedTestWallet(db, 3_000_000n);
    const batches: number[] = [];
    const queue = createHoldQueue(db, { onBatch: (size) => batches.push(size) });
    const outcomes = await Promise.allSettled(
      queue.placeAll([1n, 2n, 3n].map((n) => hold(userId, `together-${userId}-${n}`, n * 1_000_000n))),
    );
    // One statement for all three: the first two fit, the third finds the wallet reserved.
    expect(batches).toEqual([3]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(InsufficientCreditError);
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 3_000_000n, held: 3_000_000n });
  });

  it('never reserves more than a wallet has, however many holds share a batch', async () => {
    const { userId } = await fundedTestWallet(db, 3_000_000n);
    const queue = createHoldQueue(db);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, n) => queue.place(hold(userId, `tight-${userId}-${n}`, 1_000_000n))),
    );
    const placed = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(placed).toHaveLength(3);
    expect(refused).toHaveLength(37);
    for (const outcome of refused) {
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(InsufficientCreditError);
      expect((outcome as PromiseRejectedResult).reason).toMatchObject({ needed: 1_000_000n, available: 0n });
    }
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 3_000_000n, held: 3_000_000n });
    expect(await openHoldCount(userId)).toBe(3);
  });

  it('answers a key repeated within one batch as a replay of the first hold', async () => {
    const { userId } = await fundedTestWallet(db, 5_000_000n);
    const batches: number[] = [];
    const queue = createHoldQueue(db, { maxInFlight: 1, onBatch: (size) => batches.push(size) });
    // The first hold takes the only slot; the next three wait and go as one batch.
    const [first, second, third, other] = await Promise.all([
      queue.place(hold(userId, `lead-${userId}`, 1_000_000n)),
      queue.place(hold(userId, `same-${userId}`, 1_000_000n)),
      queue.place(hold(userId, `same-${userId}`, 1_000_000n)),
      queue.place(hold(userId, `other-${userId}`, 1_000_000n)),
    ]);
    expect(batches).toEqual([1, 3]);
    expect(first!.replayed).toBe(false);
    expect(second!.replayed).toBe(false);
    expect(third).toEqual({ holdId: second!.holdId, replayed: true });
    expect(other!.replayed).toBe(false);
    expect(await readBalance(db, { userId })).toMatchObject({ held: 3_000_000n });
  });

  it('keeps a hold whose statement fails from failing the holds batched with it', async () => {
    const { userId, walletId } = await fundedTestWallet(db, 5_000_000n);
    const queue = createHoldQueue(db, { maxInFlight: 1 });
    const outcomes = await Promise.allSettled([
      queue.place(hold(userId, `lead2-${userId}`, 1_000_000n)),
      queue.place(hold(userId, `good-${userId}`, 1_000_000n)),
      // A hold must credit a system account: ledger_place_hold raises, which fails its statement.
      queue.place(hold(userId, `bad-${userId}`, 1_000_000n, { creditAccountId: walletId })),
      queue.place(hold(userId, `good2-${userId}`, 1_000_000n)),
      queue.place(hold(userId, `zero-${userId}`, 0n)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
    ]);
    const failure = (outcomes[2] as PromiseRejectedResult).reason as Error;
    expect(String((failure.cause as Error | undefined)?.message)).toMatch(/must credit a system account/);
    expect((outcomes[4] as PromiseRejectedResult).reason).toBeInstanceOf(RangeError);
    expect(await readBalance(db, { userId })).toMatchObject({ held: 3_000_000n });
    expect(await openHoldCount(userId)).toBe(3);
  });

  it('places holds from two queues on the same wallets at once without a deadlock, and the books agree', async () => {
    const wallets = await Promise.all(Array.from({ length: 6 }, () => fundedTestWallet(db, 50_000_000n)));
    const queues = [createHoldQueue(db, { maxInFlight: 3 }), createHoldQueue(db, { maxInFlight: 3 })];
    // Each queue sees the wallets in a different order, so a batch's items arrive unsorted.
    const placed = await Promise.all(
      Array.from({ length: 240 }, (_, n) => {
        const queue = queues[n % 2]!;
        const index = Math.floor(n / 2) % 6;
        const wallet = n % 2 === 0 ? wallets[index]! : wallets[5 - index]!;
        return queue.place(
          hold(wallet.userId, `cross-${wallet.userId}-${n}`, 100_000n, {
            creditAccountId: SYSTEM_ACCOUNTS.revenue,
          }),
        );
      }),
    );
    expect(placed).toHaveLength(240);
    for (const { userId } of wallets) {
      expect(await readBalance(db, { userId })).toMatchObject({ held: 4_000_000n });
    }
    expect((await checkLedger(db)).problems).toEqual([]);
  });
});
