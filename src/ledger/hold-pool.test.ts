import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { checkLedger } from './check-ledger.js';
import { createHoldPool, type HoldPool, type HoldPoolOptions, poolSize } from './hold-pool.js';
import { createHoldQueue } from './hold-queue.js';
import { type HoldInput, type PlacedHold, postHold } from './holds.js';
import { InsufficientCreditError } from './ledger-errors.js';
import { fundedTestWallet } from './ledger-test-fixtures.js';
import { readBalance } from './read-balance.js';
import { createSettlementQueue } from './settlement-queue.js';

const database = await createTestDatabase();
const db = database.db;
const HOLD_LIFE_MS = 60_000;
const AMOUNT = 1_000n;
const SIZE = poolSize(AMOUNT);

let requestCount = 0;
function request(userId: string, extra: Partial<HoldInput> = {}): HoldInput {
  const now = new Date();
  return {
    wallet: { userId },
    amount: AMOUNT,
    idempotencyKey: `request-${userId}-${requestCount++}`,
    expiresAt: new Date(now.getTime() + 10_000),
    now,
    actor: `user:${userId}`,
    model: 'openai/gpt-4o-mini',
    ...extra,
  };
}

interface Harness {
  pool: HoldPool;
  /** Every hold placed, by the pool ahead of requests or for a request of its own. */
  placed: HoldInput[];
  /** The size of each statement the hold queue placed holds in. */
  batches: number[];
  /** Waits for every placement started so far. */
  settled(): Promise<void>;
}

const open: HoldPool[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((pool) => pool.close()));
});

function harness(options: Partial<HoldPoolOptions> = {}): Harness {
  const batches: number[] = [];
  const queue = createHoldQueue(db, { onBatch: (size) => batches.push(size) });
  const settlements = createSettlementQueue(db, { now: () => new Date() });
  const placed: HoldInput[] = [];
  const placing = new Set<Promise<unknown>>();
  const pool = createHoldPool({
    place(inputs) {
      placed.push(...inputs);
      const placements = queue.placeAll(inputs);
      for (const placement of placements) placing.add(placement.catch(() => undefined));
      return placements;
    },
    release: async (holdIds) => {
      await Promise.all(holdIds.map((holdId) => settlements.void(holdId)));
    },
    now: () => new Date(),
    holdLifeMs: HOLD_LIFE_MS,
    ...options,
  });
  open.push(pool);
  return {
    pool,
    placed,
    batches,
    async settled() {
      await Promise.all([...placing]);
      await queue.drain();
      await settlements.drain();
    },
  };
}

async function holdRow(holdId: number) {
  const result = await db.execute<{
    amount: string;
    status: string;
    model: string;
    key: string;
    actor: string;
  }>(
    sql`SELECT amount::text, status, model, idempotency_key AS key, actor FROM ledger_holds WHERE id = ${holdId}`,
  );
  return result.rows[0]!;
}

/** Two requests warm the pool up; the second one's placements ahead are waited for. */
async function warm(test: Harness, userId: string): Promise<PlacedHold[]> {
  const first = await test.pool.hold(request(userId));
  const second = await test.pool.hold(request(userId));
  await test.settled();
  return [first, second];
}

describe('hold pool', () => {
  it("serves a spender's steady requests from holds placed ahead, none placed on their path", async () => {
    const { userId } = await fundedTestWallet(db, 1_000_000_000n);
    const test = harness();
    const warmUp = await warm(test, userId);
    // The two warm-up requests placed their own holds; the second then started four ahead, in
    // one statement.
    expect(test.placed.map((input) => input.amount)).toEqual([AMOUNT, AMOUNT, SIZE, SIZE, SIZE, SIZE]);
    expect(test.batches).toEqual([1, 1, 4]);
    const before = test.placed.length;

    const taken = await Promise.all([1, 2, 3].map(() => test.pool.hold(request(userId))));
    // Nothing was placed for these three: each took a ready hold (and the pool, half empty after
    // two of them, started placing more).
    expect(test.placed.slice(before).every((input) => input.idempotencyKey.startsWith('pool_'))).toBe(true);
    const ids = [...warmUp, ...taken].map((hold) => hold.holdId);
    expect(new Set(ids).size).toBe(5);
    for (const hold of taken) {
      expect(await holdRow(hold.holdId)).toMatchObject({
        amount: SIZE.toString(),
        status: 'open',
        model: 'openai/gpt-4o-mini',
        actor: `user:${userId}`,
      });
    }

    // Each is settled like any hold: posted once for the request's cost, the rest released.
    for (const hold of [...warmUp, ...taken]) await postHold(db, hold.holdId, 700n, new Date());
    await test.settled();
    await test.pool.releaseAll();
    expect(await readBalance(db, { userId })).toMatchObject({
      balance: 1_000_000_000n - 5n * 700n,
      held: 0n,
    });
    expect((await checkLedger(db)).problems).toEqual([]);
  });

  it('hands each pooled hold to one request only, however many arrive at once', async () => {
    const { userId } = await fundedTestWallet(db, 1_000_000_000n);
    const test = harness({ ready: 8 });
    await warm(test, userId);
    const holds = await Promise.all(Array.from({ length: 50 }, () => test.pool.hold(request(userId))));
    expect(new Set(holds.map((hold) => hold.holdId)).size).toBe(50);
    await test.settled();
    await test.pool.releaseAll();
    const open = await db.execute<{ count: number }>(sql`
      SELECT count(*)::int AS count FROM ledger_holds h JOIN ledger_accounts a ON a.id = h.account_id
       WHERE a.user_id = ${userId} AND h.status = 'open'`);
    // The 52 requests' holds stay open for them to settle; every pooled hold not taken was released.
    expect(open.rows[0]!.count).toBe(52);
  });

  it('places nothing ahead for a wallet near the end of its balance', async () => {
    // 64 pooled sizes would be needed (4 ready, 16 times over); this wallet has 40 worst cases.
    const { userId } = await fundedTestWallet(db, 40n * AMOUNT);
    const test = harness();
    await warm(test, userId);
    await Promise.all([1, 2, 3].map(() => test.pool.hold(request(userId))));
    expect(test.placed.map((input) => input.amount)).toEqual([AMOUNT, AMOUNT, AMOUNT, AMOUNT, AMOUNT]);
    expect(await readBalance(db, { userId })).toMatchObject({ held: 5n * AMOUNT });
  });

  it('releases its holds and tries again when a hold is refused for credit they reserve', async () => {
    const { userId } = await fundedTestWallet(db, 100_000n);
    const test = harness({ headroom: 1 });
    await warm(test, userId);
    // 100,000 - 2 x 1,000 - 4 x 1,024 = 93,904 left; this needs 95,000, which it has once the
    // four pooled holds are given back.
    const large = await test.pool.hold(request(userId, { amount: 95_000n, model: 'another/model' }));
    expect(await holdRow(large.holdId)).toMatchObject({ amount: '95000', status: 'open' });
    await test.settled();
    expect(await readBalance(db, { userId })).toMatchObject({ held: 2n * AMOUNT + 95_000n });
    // Short even without the pool: refused, with what is truly available.
    await expect(
      test.pool.hold(request(userId, { amount: 4_000n, model: 'another/model' })),
    ).rejects.toMatchObject({
      available: 3_000n,
    });
    await expect(test.pool.hold(request(userId, { amount: 4_000n }))).rejects.toBeInstanceOf(
      InsufficientCreditError,
    );
  });

  it('gives its holds back once the spender has been idle, and never hands out a stale one', async () => {
    const { userId } = await fundedTestWallet(db, 1_000_000_000n);
    const test = harness({ idleMs: 150 });
    await warm(test, userId);
    expect(await readBalance(db, { userId })).toMatchObject({ held: 2n * AMOUNT + 4n * SIZE });
    await sleep(400);
    await test.settled();
    expect(await readBalance(db, { userId })).toMatchObject({ held: 2n * AMOUNT });

    const aged = harness({ maxAgeMs: 50 });
    const { userId: other } = await fundedTestWallet(db, 1_000_000_000n);
    await warm(aged, other);
    await sleep(100);
    const hold = await aged.pool.hold(request(other));
    // Too old to hand out: this request placed its own.
    expect((await holdRow(hold.holdId)).key.startsWith('request-')).toBe(true);
  });

  it('never hands a hold placed before midnight to a request after it, under a daily key limit', async () => {
    const { userId } = await fundedTestWallet(db, 1_000_000_000n);
    let current = new Date('2026-12-04T23:59:58Z');
    const test = harness({ now: () => current });
    const apiKeyId = randomUUID();
    const limited = () =>
      request(userId, {
        now: current,
        expiresAt: new Date(current.getTime() + 10_000),
        apiKeyId,
        keyLimit: { limit: 1_000_000n, period: 'day' },
      });
    const keyOf = async (hold: PlacedHold) => (await holdRow(hold.holdId)).key;
    await test.pool.hold(limited());
    await test.pool.hold(limited());
    await test.settled();
    expect(await keyOf(await test.pool.hold(limited()))).toMatch(/^pool_/);

    // Those left were counted against the 4th's limit; on the 5th a request places its own, and
    // the pool starts again with holds counted against the 5th.
    current = new Date('2026-12-05T00:00:01Z');
    expect(await keyOf(await test.pool.hold(limited()))).toMatch(/^request-/);
    await test.settled();
    const next = await test.pool.hold(limited());
    expect(await keyOf(next)).toMatch(/^pool_/);
    const counter = await db.execute<{ period_start: string }>(sql`
      SELECT c.period_start FROM ledger_holds h JOIN ledger_spend_counters c ON c.id = h.key_counter_id
       WHERE h.id = ${next.holdId}`);
    expect(new Date(counter.rows[0]!.period_start).toISOString()).toBe('2026-12-05T00:00:00.000Z');
  });

  it('places its own hold for a request that must outlive the pooled holds', async () => {
    const { userId } = await fundedTestWallet(db, 1_000_000_000n);
    const test = harness();
    await warm(test, userId);
    const long = request(userId, { expiresAt: new Date(Date.now() + 2 * HOLD_LIFE_MS) });
    const hold = await test.pool.hold(long);
    expect((await holdRow(hold.holdId)).key).toBe(long.idempotencyKey);
  });

  it('places every hold on demand when pooling is off, and releases everything on close', async () => {
    const { userId } = await fundedTestWallet(db, 1_000_000_000n);
    const off = harness({ ready: 0 });
    await warm(off, userId);
    await off.pool.hold(request(userId));
    expect(off.placed).toHaveLength(3);

    const { userId: other } = await fundedTestWallet(db, 1_000_000_000n);
    const on = harness();
    await on.pool.hold(request(other));
    await on.pool.hold(request(other)); // starts four placements, not waited for
    await on.pool.close();
    await on.settled();
    expect(await readBalance(db, { userId: other })).toMatchObject({ held: 2n * AMOUNT });
    const after = await on.pool.hold(request(other));
    expect((await holdRow(after.holdId)).key.startsWith('request-')).toBe(true);
  });
});
