import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { createApiKey, revokeApiKey } from '../accounts/api-keys.js';
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
        apiKeys: [
          { apiKeyId: keyB, amount: 40_000n, requests: 1 },
          { apiKeyId: keyA, amount: 3_500n, requests: 2 },
        ],
      },
      { date: '2026-05-02', amount: 0n, requests: 0, models: [], apiKeys: [] },
      {
        date: '2026-05-03',
        amount: 7n,
        requests: 1,
        models: [{ model: 'gpt', amount: 7n, requests: 1 }],
        apiKeys: [{ apiKeyId: null, amount: 7n, requests: 1 }],
      },
    ]);
    expect(summary.models).toEqual([
      { model: 'claude', amount: 40_000n, requests: 1 },
      { model: 'gpt', amount: 3_507n, requests: 3 },
    ]);
    // These key ids have no api_keys row, like a key deleted with its user: no name.
    const unnamed = { name: null, prefix: null, revoked: false };
    expect(summary.apiKeys).toEqual([
      { apiKeyId: keyB, ...unnamed, amount: 40_000n, requests: 1 },
      { apiKeyId: keyA, ...unnamed, amount: 3_500n, requests: 2 },
      { apiKeyId: null, ...unnamed, amount: 7n, requests: 1 },
    ]);
  });

  it('names each key over the range, a revoked one too, and splits every day by key', async () => {
    const { userId } = await fundedTestWallet(db, 1_000_000n, new Date('2026-07-01T00:00:00Z'));
    const owner = { userId };
    const now = new Date('2026-07-01T00:00:00Z');
    const laptop = await createApiKey(db, { userId, name: 'laptop' }, null, now);
    const server = await createApiKey(db, { userId, name: 'old server' }, null, now);
    await spend(owner, 300n, '2026-07-01T10:00:00Z', 'gpt', laptop.id);
    await spend(owner, 200n, '2026-07-01T11:00:00Z', 'claude', server.id);
    await spend(owner, 500n, '2026-07-02T10:00:00Z', 'gpt', server.id);
    await spend(owner, 50n, '2026-07-02T12:00:00Z', 'gpt');
    await revokeApiKey(db, userId, server.id, null, new Date('2026-07-03T00:00:00Z'));

    const summary = await spendSummary(db, owner, {
      from: new Date('2026-07-01T00:00:00Z'),
      to: new Date('2026-07-03T00:00:00Z'),
    });
    expect(summary.apiKeys).toEqual([
      {
        apiKeyId: server.id,
        name: 'old server',
        prefix: server.prefix,
        revoked: true,
        amount: 700n,
        requests: 2,
      },
      {
        apiKeyId: laptop.id,
        name: 'laptop',
        prefix: laptop.prefix,
        revoked: false,
        amount: 300n,
        requests: 1,
      },
      { apiKeyId: null, name: null, prefix: null, revoked: false, amount: 50n, requests: 1 },
    ]);
    expect(summary.days.map((day) => day.apiKeys)).toEqual([
      [
        { apiKeyId: laptop.id, amount: 300n, requests: 1 },
        { apiKeyId: server.id, amount: 200n, requests: 1 },
      ],
      [
        { apiKeyId: server.id, amount: 500n, requests: 1 },
        { apiKeyId: null, amount: 50n, requests: 1 },
      ],
    ]);
    // Each day's keys add up to the day, as its models do.
    for (const day of summary.days) {
      expect(day.apiKeys.reduce((sum, key) => sum + key.amount, 0n)).toBe(day.amount);
    }
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
