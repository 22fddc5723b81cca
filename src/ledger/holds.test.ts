import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { placeHold, postHold, settleHolds, voidHold } from './holds.js';
import { InsufficientCreditError } from './ledger-errors.js';
import { fundedTestWallet } from './ledger-test-fixtures.js';
import { readBalance } from './read-balance.js';

const database = await createTestDatabase();
const db = database.db;
const now = new Date('2026-11-23T12:00:00Z');
const later = new Date(now.getTime() + 60_000);

describe('holds', () => {
  it('reserves credit, captures the actual amount and releases the rest', async () => {
    const { userId } = await fundedTestWallet(db, 10_000_000n);
    const hold = await placeHold(db, {
      wallet: { userId },
      amount: 3_000_000n,
      idempotencyKey: `gen-${userId}`,
      expiresAt: later,
      now,
      actor: `user:${userId}`,
      model: 'openai/gpt-4o-mini',
    });
    expect(hold.available).toBe(7_000_000n);
    expect(await readBalance(db, { userId })).toMatchObject({
      balance: 10_000_000n,
      held: 3_000_000n,
      available: 7_000_000n,
    });
    const posted = await postHold(db, hold.holdId, 1_250_000n, now);
    expect(posted.outcome).toBe('posted');
    expect(posted.transferId).toBeGreaterThan(0);
    expect(await readBalance(db, { userId })).toMatchObject({
      balance: 8_750_000n,
      held: 0n,
      available: 8_750_000n,
    });
  });

  it('refuses a hold larger than the available balance with the amounts', async () => {
    const { userId } = await fundedTestWallet(db, 1_000_000n);
    const first = { wallet: { userId }, amount: 600_000n, expiresAt: later, now, actor: 'system' };
    await placeHold(db, { ...first, idempotencyKey: `a-${userId}` });
    const error = await placeHold(db, { ...first, idempotencyKey: `b-${userId}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientCreditError);
    expect(error).toMatchObject({ needed: 600_000n, available: 400_000n, status: 402 });
  });

  it('answers a replayed hold with the first one and reserves nothing more', async () => {
    const { userId } = await fundedTestWallet(db, 1_000_000n);
    const input = {
      wallet: { userId },
      amount: 600_000n,
      idempotencyKey: `r-${userId}`,
      expiresAt: later,
      now,
      actor: 'system',
    };
    const first = await placeHold(db, input);
    const again = await placeHold(db, input);
    expect(again).toEqual({ holdId: first.holdId, replayed: true });
    expect((await readBalance(db, { userId })).held).toBe(600_000n);
    await expect(placeHold(db, { ...input, amount: 500_000n })).rejects.toMatchObject({ status: 409 });
  });

  it('posts or voids a hold exactly once', async () => {
    const { userId } = await fundedTestWallet(db, 1_000_000n);
    const base = { wallet: { userId }, amount: 500_000n, expiresAt: later, now, actor: 'system' };
    const a = await placeHold(db, { ...base, idempotencyKey: `x-${userId}` });
    const b = await placeHold(db, { ...base, idempotencyKey: `y-${userId}` });
    await postHold(db, a.holdId, 100_000n, now);
    expect((await postHold(db, a.holdId, 100_000n, now)).outcome).toBe('replayed');
    await expect(postHold(db, a.holdId, 200_000n, now)).rejects.toMatchObject({ status: 409 });
    await expect(voidHold(db, a.holdId, now)).rejects.toMatchObject({ status: 409 });
    await voidHold(db, b.holdId, now);
    expect((await voidHold(db, b.holdId, now)).outcome).toBe('replayed');
    await expect(postHold(db, b.holdId, 1n, now)).rejects.toMatchObject({ status: 409 });
    await expect(postHold(db, 999_999, 1n, now)).rejects.toMatchObject({ status: 404 });
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 900_000n, held: 0n });
  });

  it('refuses to capture more than was held', async () => {
    const { userId } = await fundedTestWallet(db, 1_000_000n);
    const hold = await placeHold(db, {
      wallet: { userId },
      amount: 500_000n,
      idempotencyKey: `m-${userId}`,
      expiresAt: later,
      now,
      actor: 'system',
    });
    await expect(postHold(db, hold.holdId, 500_001n, now)).rejects.toMatchObject({ status: 400 });
    expect((await readBalance(db, { userId })).held).toBe(500_000n);
  });

  it('settles a batch in one call, each hold by its own outcome', async () => {
    const { userId } = await fundedTestWallet(db, 3_000_000n);
    const base = { wallet: { userId }, amount: 1_000_000n, expiresAt: later, now, actor: 'system' };
    const holds = await Promise.all(
      [1, 2, 3].map((n) => placeHold(db, { ...base, idempotencyKey: `batch-${n}-${userId}` })),
    );
    const results = await settleHolds(
      db,
      'posted',
      [
        { holdId: holds[0]!.holdId, amount: 10n },
        { holdId: holds[1]!.holdId, amount: 0n },
        { holdId: holds[2]!.holdId, amount: 2_000_000n },
      ],
      now,
    );
    expect(results.map((r) => r.outcome).sort()).toEqual(['invalid_amount', 'posted', 'posted']);
    expect(results.find((r) => r.postedAmount === 0n)?.transferId).toBeNull();
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 2_999_990n, held: 1_000_000n });
  });
});

describe('settlement plans', () => {
  // ledger_settle_holds plans small batches once per connection (generic plans) and large ones
  // afresh (migration 0021): both must settle the same way, and neither may change how the rest
  // of the caller's transaction is planned.
  it.each([
    ['a small batch, on the generic plan', 3],
    ['a batch over 500 holds, on custom plans', 600],
  ])('settles %s, each hold to the micro', async (_name, count) => {
    const { userId } = await fundedTestWallet(db, BigInt(count) * 1_000_000n);
    const holds = await db.execute<{ id: string }>(sql`
      WITH wallet AS (SELECT id FROM ledger_accounts WHERE user_id = ${userId}),
      placed AS (
        INSERT INTO ledger_holds (account_id, credit_account_id, amount, idempotency_key, actor, expires_at, created_at)
        SELECT wallet.id, 1, 1000000, ${`plan-${userId}-`} || n, 'system', ${later}, ${now}
          FROM wallet, generate_series(1, ${count}) AS n
        RETURNING id)
      SELECT id FROM placed ORDER BY id`);
    await db.execute(sql`
      UPDATE ledger_accounts SET held = held + ${BigInt(count) * 1_000_000n} WHERE user_id = ${userId}`);
    const items = holds.rows.map((row, n) => ({ holdId: Number(row.id), amount: BigInt(n) }));
    const { results, mode } = await db.transaction(async (tx) => {
      const settled = await settleHolds(tx, 'posted', items, now);
      const setting = await tx.execute<{ mode: string }>(
        sql`SELECT current_setting('plan_cache_mode') AS mode`,
      );
      return { results: settled, mode: setting.rows[0]!.mode };
    });
    expect(mode).toBe('auto');
    expect(results.every((result) => result.outcome === 'posted')).toBe(true);
    expect(results.filter((result) => result.transferId !== null)).toHaveLength(count - 1);
    const captured = BigInt((count * (count - 1)) / 2);
    expect(await readBalance(db, { userId })).toMatchObject({
      balance: BigInt(count) * 1_000_000n - captured,
      held: 0n,
    });
    const again = await settleHolds(db, 'posted', items.slice(0, 2), now);
    expect(again.map((result) => result.outcome)).toEqual(['replayed', 'replayed']);
  });
});

describe('expiry', () => {
  it('voids open holds past their expiry and leaves the others', async () => {
    const { expireHolds } = await import('./expire-holds.js');
    const { userId } = await fundedTestWallet(db, 1_000_000n);
    const base = { wallet: { userId }, amount: 300_000n, now, actor: 'system' };
    const soon = await placeHold(db, { ...base, idempotencyKey: `e1-${userId}`, expiresAt: later });
    await placeHold(db, {
      ...base,
      idempotencyKey: `e2-${userId}`,
      expiresAt: new Date(later.getTime() + 3_600_000),
    });
    expect(await expireHolds(db, new Date(later.getTime() - 1))).toBe(0);
    expect(await expireHolds(db, later)).toBeGreaterThanOrEqual(1);
    expect(await readBalance(db, { userId })).toMatchObject({
      balance: 1_000_000n,
      held: 300_000n,
      openHolds: 1,
    });
    await expect(postHold(db, soon.holdId, 1n, later)).rejects.toMatchObject({ status: 409 });
  });
});

describe('commit durability', () => {
  // The functions carry their own SET clause (plan_cache_mode); a SET LOCAL of another setting made
  // inside them must still reach the end of the caller's transaction.
  async function synchronousCommitAfterHold(durable: boolean): Promise<string> {
    const { userId } = await fundedTestWallet(db, 1_000_000n);
    return db.transaction(async (tx) => {
      await placeHold(tx, {
        wallet: { userId },
        amount: 1_000n,
        idempotencyKey: `d-${durable}-${userId}`,
        expiresAt: later,
        now,
        actor: 'system',
        durable,
      });
      const result = await tx.execute<{ synchronous_commit: string }>(sql`SHOW synchronous_commit`);
      return result.rows[0]!.synchronous_commit;
    });
  }

  it('commits a fast hold without waiting for the WAL flush and a durable one with it', async () => {
    expect(await synchronousCommitAfterHold(false)).toBe('off');
    expect(await synchronousCommitAfterHold(true)).toBe('on');
  });
});
