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
  it('writes the records of a batch in its transaction, and a failing write settles nothing', async () => {
    const { userId } = await fundedTestWallet(db, 10_000n);
    const [first, second] = await openHolds(userId, 2, 1_000n, 'records');
    const written: string[] = [];
    const queue = createSettlementQueue<string>(db, {
      now: () => now,
      async writeRecords(tx, records) {
        // Visible inside the transaction: the hold is settled by the time the records are written.
        const { rows } = await tx.execute<{ status: string }>(
          sql`SELECT status FROM ledger_holds WHERE id = ${records[0]!.result.holdId}`,
        );
        expect(rows[0]!.status).not.toBe('open');
        if (records.some((entry) => entry.record === 'fail')) throw new Error('record write failed');
        written.push(...records.map((entry) => entry.record));
      },
    });
    await expect(queue.post(first!, 400n, 'fail')).rejects.toThrow('record write failed');
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 10_000n, held: 2_000n });
    await queue.post(first!, 400n, 'gen-1');
    await queue.void(second!, 'gen-2');
    expect(written).toEqual(['gen-1', 'gen-2']);
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 9_600n, held: 0n });
  });
});
