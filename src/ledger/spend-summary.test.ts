import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { placeHold, postHold } from './holds.js';
import { fundedTestWallet, insertLedgerTestUser } from './ledger-test-fixtures.js';
import { spendSummary } from './spend-summary.js';
import { SYSTEM_ACCOUNTS, type WalletOwner } from './system-accounts.js';
import { transfer } from './transfer.js';

const database = await createTestDatabase();
const db = database.db;

async function spend(wallet: WalletOwner, amount: bigint, now: string, model: string, apiKeyId?: string) {
  const when = new Date(now);
  const hold = await placeHold(db, {
    wallet,
    amount: amount > 0n ? amount : 1n,
    idempotencyKey: randomUUID(),
    expiresAt: new Date(when.getTime() + 60_000),
    now: when,
    actor: 'system',
    model,
    apiKeyId,
  });
  await postHold(db, hold.holdId, amount, when);
}

describe('spendSummary', () => {
  it('sums posted usage per UTC day and model, per model and per API key', async () => {
    const keyA = randomUUID();
    const keyB = randomUUID();
    const { userId, walletId } = await fundedTestWallet(db, 100_000_000n, new Date('2026-05-01T00:00:00Z'));
    const owner = { userId };
    await spend(owner, 1_000n, '2026-05-01T00:00:00Z', 'gpt', keyA);
    await spend(owner, 2_500n, '2026-05-01T23:59:59.999Z', 'gpt', keyA);
    await spend(owner, 40_000n, '2026-05-01T12:00:00Z', 'claude', keyB);
    await spend(owner, 7n, '2026-05-03T09:00:00Z', 'gpt');
    // A request that cost nothing leaves no transfer, so it is not counted.
    await spend(owner, 0n, '2026-05-03T09:00:00Z', 'gpt', keyA);
    // Outside the range, or not usage: left out.
    await spend(owner, 999n, '2026-04-30T23:59:59.999Z', 'gpt', keyA);
    await spend(owner, 999n, '2026-05-04T00:00:00Z', 'gpt', keyA);
    await transfer(db, {
      debitAccountId: walletId,
      creditAccountId: SYSTEM_ACCOUNTS.manual_adjustments,
      amount: 5_000_000n,
      kind: 'manual_debit',
      idempotencyKey: randomUUID(),
      actor: 'staff:1',
      now: new Date('2026-05-02T10:00:00Z'),
    });

    const summary = await spendSummary(db, owner, {
      from: new Date('2026-05-01T00:00:00Z'),
      to: new Date('2026-05-04T00:00:00Z'),
    });
    expect(summary.total).toEqual({ amount: 43_507n, requests: 4 });
    expect(summary.days).toEqual([
      {
        date: '2026-05-01',
        amount: 43_500n,
        requests: 3,
        models: [
          { model: 'claude', amount: 40_000n, requests: 1 },
          { model: 'gpt', amount: 3_500n, requests: 2 },
        ],
      },
      { date: '2026-05-02', amount: 0n, requests: 0, models: [] },
      { date: '2026-05-03', amount: 7n, requests: 1, models: [{ model: 'gpt', amount: 7n, requests: 1 }] },
    ]);
    expect(summary.models).toEqual([
      { model: 'claude', amount: 40_000n, requests: 1 },
      { model: 'gpt', amount: 3_507n, requests: 3 },
    ]);
    expect(summary.apiKeys).toEqual([
      { apiKeyId: keyB, amount: 40_000n, requests: 1 },
      { apiKeyId: keyA, amount: 3_500n, requests: 2 },
      { apiKeyId: null, amount: 7n, requests: 1 },
    ]);
  });

  it('counts only this wallet’s usage', async () => {
    const mine = await fundedTestWallet(db, 1_000_000n, new Date('2026-06-01T00:00:00Z'));
    const theirs = await fundedTestWallet(db, 1_000_000n, new Date('2026-06-01T00:00:00Z'));
    await spend({ userId: mine.userId }, 10n, '2026-06-01T10:00:00Z', 'gpt');
    await spend({ userId: theirs.userId }, 20n, '2026-06-01T10:00:00Z', 'gpt');
    const summary = await spendSummary(
      db,
      { userId: mine.userId },
      { from: new Date('2026-06-01T00:00:00Z'), to: new Date('2026-06-02T00:00:00Z') },
    );
    expect(summary.total).toEqual({ amount: 10n, requests: 1 });
  });

  it('gives a day for every UTC date the range touches, even for an owner without a wallet', async () => {
    const userId = await insertLedgerTestUser(db);
    const summary = await spendSummary(
      db,
      { userId },
      { from: new Date('2026-05-31T22:00:00Z'), to: new Date('2026-06-02T00:00:01Z') },
    );
    expect(summary.days.map((day) => day.date)).toEqual(['2026-05-31', '2026-06-01', '2026-06-02']);
    expect(summary.total).toEqual({ amount: 0n, requests: 0 });
    expect(summary.models).toEqual([]);
    expect(summary.apiKeys).toEqual([]);
  });

  it('refuses an empty, reversed or over-long range', async () => {
    const owner = { userId: await insertLedgerTestUser(db) };
    const day = new Date('2026-05-01T00:00:00Z');
    await expect(spendSummary(db, owner, { from: day, to: day })).rejects.toThrow(RangeError);
    await expect(
      spendSummary(db, owner, { from: day, to: new Date('2027-05-04T00:00:00Z') }),
    ).rejects.toThrow(RangeError);
  });
});
