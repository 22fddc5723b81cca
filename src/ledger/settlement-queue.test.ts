import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { placeHold } from './holds.js';
import { fundedTestWallet } from './ledger-test-fixtures.js';
import { readBalance } from './read-balance.js';
import { createSettlementQueue } from './settlement-queue.js';

const database = await createTestDatabase();
const db = database.db;
const now = new Date('2026-11-23T12:00:00Z');

async function openHolds(userId: string, count: number, amount: bigint, tag: string) {
  const holds = [];
  for (let n = 0; n < count; n++) {
    holds.push(
      await placeHold(db, {
        wallet: { userId },
        amount,
        idempotencyKey: `${tag}-${n}-${userId}`,
        expiresAt: new Date(now.getTime() + 60_000),
        now,
        actor: 'system',
      }),
    );
  }
  return holds.map((hold) => hold.holdId);
}

describe('settlement queue', () => {
  it('settles concurrent posts in fewer transactions than requests, each to the micro', async () => {
    const { userId } = await fundedTestWallet(db, 100_000_000n);
    const ids = await openHolds(userId, 100, 1_000_000n, 'q');
    const batches: number[] = [];
    const queue = createSettlementQueue(db, { now: () => now, onBatch: (size) => batches.push(size) });
    const results = await Promise.all(ids.map((id, n) => queue.post(id, BigInt(n))));
    expect(results.every((result) => result.outcome === 'posted')).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(100);
    expect(batches.length).toBeLessThan(100);
    const captured = BigInt((99 * 100) / 2);
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 100_000_000n - captured, held: 0n });
  });

  it('rejects only the settlement that is wrong and keeps a second settlement of a hold for the next batch', async () => {
    const { userId } = await fundedTestWallet(db, 10_000_000n);
    const [a, b, c] = await openHolds(userId, 3, 1_000_000n, 'mix');
    const queue = createSettlementQueue(db, { now: () => now });
    const outcomes = await Promise.allSettled([
      queue.post(a!, 500_000n),
      queue.post(a!, 400_000n),
      queue.post(b!, 2_000_000n),
      queue.void(c!),
      queue.void(c!),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(outcomes[1]).toMatchObject({ reason: { status: 409 } });
    expect(outcomes[2]).toMatchObject({ reason: { status: 400 } });
    await queue.drain();
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 9_500_000n, held: 1_000_000n });
  });
});

describe('settlement records', () => {
  it('writes the records of a batch in its statement, and a failing write settles nothing', async () => {
    await db.execute(
      sql`CREATE TABLE IF NOT EXISTS settlement_test_records (hold_id bigint, note text NOT NULL)`,
    );
    const { userId } = await fundedTestWallet(db, 10_000n);
    const [first, second] = await openHolds(userId, 2, 1_000n, 'records');
    const queue = createSettlementQueue<string>(db, {
      now: () => now,
      // A null note violates NOT NULL: the whole batch, settlement included, must roll back.
      recordsSql: (notes) => sql`written AS (
        INSERT INTO settlement_test_records
        SELECT hold_id, ${notes[0] === 'fail' ? null : notes.join(',')}::text FROM settled
         WHERE outcome IN ('posted', 'voided'))`,
    });
    await expect(queue.post(first!, 400n, 'fail')).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/null value/) },
    });
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 10_000n, held: 2_000n });
    await queue.post(first!, 400n, 'gen-1');
    await queue.void(second!, 'gen-2');
    const { rows } = await db.execute<{ hold_id: string; note: string }>(
      sql`SELECT hold_id, note FROM settlement_test_records WHERE hold_id IN (${first}, ${second}) ORDER BY hold_id`,
    );
    expect(rows).toEqual([
      { hold_id: String(first), note: 'gen-1' },
      { hold_id: String(second), note: 'gen-2' },
    ]);
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 9_600n, held: 0n });
  });
});
