import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { placeHold, postHold } from './holds.js';
import {
  fundedTestWallet,
  insertLedgerTestOrganisation,
  insertLedgerTestUser,
} from './ledger-test-fixtures.js';
import {
  encodeCursor,
  listTransactions,
  type TransactionItem,
  walletTransfers,
} from './list-transactions.js';
import { SYSTEM_ACCOUNTS, type WalletOwner } from './system-accounts.js';
import { transfer } from './transfer.js';
import { ensureWallet } from './wallets.js';

const database = await createTestDatabase();
const db = database.db;
const start = new Date('2026-03-01T10:00:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

async function spend(
  wallet: WalletOwner,
  amount: bigint,
  now: Date,
  extra: { model?: string; apiKeyId?: string; memberUserId?: string } = {},
) {
  const hold = await placeHold(db, {
    wallet,
    amount,
    idempotencyKey: randomUUID(),
    expiresAt: new Date(now.getTime() + 60_000),
    now,
    actor: 'system',
    ...extra,
  });
  return postHold(db, hold.holdId, amount, now);
}

function credit(walletId: number, amount: bigint, now: Date, kind: 'top_up' | 'promotion' = 'top_up') {
  const debitAccountId = kind === 'top_up' ? SYSTEM_ACCOUNTS.payments_clearing : SYSTEM_ACCOUNTS.promotions;
  return transfer(db, {
    debitAccountId,
    creditAccountId: walletId,
    amount,
    kind,
    idempotencyKey: randomUUID(),
    actor: 'system',
    now,
  });
}

async function allPages(owner: WalletOwner, limit: number, filters = {}): Promise<TransactionItem[]> {
  const items: TransactionItem[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1_000; pages++) {
    const page = await listTransactions(db, owner, { ...filters, limit, cursor });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    if (page.nextCursor === null) return items;
    cursor = page.nextCursor;
  }
  throw new Error('the cursor never ran out');
}

/** A user with a varied history: top-up, promotion, usage on two models and keys, a manual debit. */
async function historyOfSeven() {
  const keyA = randomUUID();
  const keyB = randomUUID();
  const { userId, walletId } = await fundedTestWallet(db, 10_000_000n, at(0));
  const owner = { userId };
  await credit(walletId, 500_000n, at(1), 'promotion');
  await spend(owner, 1_250n, at(2), { model: 'openai/gpt-4o-mini', apiKeyId: keyA });
  await spend(owner, 40_000n, at(3), { model: 'anthropic/claude-sonnet', apiKeyId: keyB });
  await spend(owner, 2_000n, at(4), { model: 'openai/gpt-4o-mini', apiKeyId: keyB });
  await transfer(db, {
    debitAccountId: walletId,
    creditAccountId: SYSTEM_ACCOUNTS.manual_adjustments,
    amount: 100_000n,
    kind: 'manual_debit',
    idempotencyKey: randomUUID(),
    reason: 'Duplicate top-up',
    actor: 'staff:1',
    now: at(5),
  });
  await credit(walletId, 3_000_000n, at(6));
  return { owner, walletId, keyA, keyB };
}

describe('listTransactions', () => {
  it('lists nothing for an owner who never had a wallet', async () => {
    const userId = await insertLedgerTestUser(db);
    expect(await listTransactions(db, { userId }, {})).toEqual({ items: [], nextCursor: null });
  });

  it('lists the wallet’s transfers newest first with signed amounts', async () => {
    const { owner, keyA } = await historyOfSeven();
    const page = await listTransactions(db, owner, {});
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((item) => [item.kind, item.direction, item.amount])).toEqual([
      ['top_up', 'credit', '3.000000'],
      ['manual_debit', 'debit', '-0.100000'],
      ['usage', 'debit', '-0.002000'],
      ['usage', 'debit', '-0.040000'],
      ['usage', 'debit', '-0.001250'],
      ['promotion', 'credit', '0.500000'],
      ['top_up', 'credit', '10.000000'],
    ]);
    expect(page.items[1]).toMatchObject({ reason: 'Duplicate top-up', createdAt: at(5).toISOString() });
    expect(page.items[4]).toMatchObject({
      model: 'openai/gpt-4o-mini',
      apiKeyId: keyA,
      memberUserId: null,
      holdId: expect.any(Number),
      createdAt: '2026-03-01T10:02:00.000Z',
    });
  });

  it('does not show another wallet’s transfers', async () => {
    const { owner } = await historyOfSeven();
    const other = await fundedTestWallet(db, 1_000_000n, at(3));
    const mine = await listTransactions(db, owner, {});
    const theirs = await listTransactions(db, { userId: other.userId }, {});
    expect(theirs.items).toHaveLength(1);
    expect(mine.items.map((item) => item.id)).not.toContain(theirs.items[0]!.id);
  });

  it('filters by kind, date range, model, API key and direction', async () => {
    const { owner, keyB } = await historyOfSeven();
    const amounts = async (query: object) =>
      (await listTransactions(db, owner, query)).items.map((item) => item.amount);
    expect(await amounts({ kinds: ['usage'] })).toEqual(['-0.002000', '-0.040000', '-0.001250']);
    expect(await amounts({ kinds: ['promotion', 'manual_debit'] })).toEqual(['-0.100000', '0.500000']);
    // `from` inclusive, `to` exclusive.
    expect(await amounts({ from: at(2), to: at(4) })).toEqual(['-0.040000', '-0.001250']);
    expect(await amounts({ model: 'openai/gpt-4o-mini' })).toEqual(['-0.002000', '-0.001250']);
    expect(await amounts({ apiKeyId: keyB })).toEqual(['-0.002000', '-0.040000']);
    expect(await amounts({ direction: 'credit' })).toEqual(['3.000000', '0.500000', '10.000000']);
    expect(await amounts({ direction: 'debit', kinds: ['usage'], from: at(3) })).toEqual([
      '-0.002000',
      '-0.040000',
    ]);
    expect(await amounts({ model: 'nobody/nothing' })).toEqual([]);
  });

  it('names the member who spent from an organisation wallet', async () => {
    const memberUserId = await insertLedgerTestUser(db);
    const organisationId = await insertLedgerTestOrganisation(db, memberUserId);
    await credit(await ensureWallet(db, { organisationId }), 1_000_000n, at(0));
    await spend({ organisationId }, 7n, at(1), { memberUserId, model: 'm' });
    const page = await listTransactions(db, { organisationId }, { direction: 'debit' });
    expect(page.items).toEqual([expect.objectContaining({ amount: '-0.000007', memberUserId, model: 'm' })]);
  });

  it('pages through a history with equal timestamps without repeating or skipping a row', async () => {
    const { userId, walletId } = await fundedTestWallet(db, 1_000_000n, at(0));
    // Several transfers per instant, so pages must break ties by id.
    for (let index = 0; index < 20; index++) await credit(walletId, BigInt(index + 1), at(index % 4));
    const everything = (await listTransactions(db, { userId }, { limit: 200 })).items;
    expect(everything).toHaveLength(21);
    const times = everything.map((item) => item.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 22 }), async (limit) => {
        const paged = await allPages({ userId }, limit);
        expect(paged.map((item) => item.id)).toEqual(everything.map((item) => item.id));
      }),
      { numRuns: 12 },
    );
    const credits = await allPages({ userId }, 3, { direction: 'credit', from: at(1), to: at(3) });
    expect(credits.map((item) => item.id)).toEqual(
      everything
        .filter((item) => item.createdAt >= at(1).toISOString() && item.createdAt < at(3).toISOString())
        .map((item) => item.id),
    );
  });

  it('ends with a null cursor when the last page is exactly full', async () => {
    const { userId, walletId } = await fundedTestWallet(db, 1_000_000n, at(0));
    await credit(walletId, 1n, at(1));
    const first = await listTransactions(db, { userId }, { limit: 1 });
    expect(first.nextCursor).not.toBeNull();
    const second = await listTransactions(db, { userId }, { limit: 1, cursor: first.nextCursor! });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a cursor that is not one of this wallet’s', async () => {
    const { owner } = await historyOfSeven();
    const other = await fundedTestWallet(db, 1_000_000n, at(0));
    const otherTransfer = (await listTransactions(db, { userId: other.userId }, {})).items[0]!;
    for (const cursor of ['garbage', encodeCursor(otherTransfer.id), encodeCursor(9_999_999)]) {
      await expect(listTransactions(db, owner, { cursor })).rejects.toMatchObject({
        status: 400,
        message: 'cursor: not a cursor of this transaction list',
      });
    }
  });

  it('refuses a page size outside 1 to 200', async () => {
    const userId = await insertLedgerTestUser(db);
    await expect(listTransactions(db, { userId }, { limit: 0 })).rejects.toThrow(RangeError);
    await expect(listTransactions(db, { userId }, { limit: 201 })).rejects.toThrow(RangeError);
  });
});

describe('walletTransfers', () => {
  it('reads the whole history in chunks of the page size', async () => {
    const { owner } = await historyOfSeven();
    const chunks: number[][] = [];
    for await (const chunk of walletTransfers(db, owner, {}, 3)) chunks.push(chunk.map((row) => row.id));
    expect(chunks.map((chunk) => chunk.length)).toEqual([3, 3, 1]);
    const listed = (await listTransactions(db, owner, {})).items.map((item) => item.id);
    expect(chunks.flat()).toEqual(listed);
  });

  it('yields nothing for an owner who never had a wallet', async () => {
    const chunks = [];
    for await (const chunk of walletTransfers(db, { userId: await insertLedgerTestUser(db) }, {})) {
      chunks.push(chunk);
    }
    expect(chunks).toEqual([]);
  });
});
