import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { placeHold, postHold, voidHold } from './holds.js';
import { fundedTestWallet, insertLedgerTestUser } from './ledger-test-fixtures.js';
import { listOpenHolds, readBalanceWithHolds } from './read-balance.js';

const database = await createTestDatabase();
const db = database.db;
const now = new Date('2026-07-01T12:00:00.000Z');
const at = (seconds: number) => new Date(now.getTime() + seconds * 1_000);

async function hold(userId: string, amount: bigint, placedAt: Date, model: string) {
  const placed = await placeHold(db, {
    wallet: { userId },
    amount,
    idempotencyKey: randomUUID(),
    expiresAt: new Date(placedAt.getTime() + 600_000),
    now: placedAt,
    actor: 'system',
    model,
  });
  return placed.holdId;
}

describe('listOpenHolds', () => {
  it('lists only the open holds of the wallet, newest first', async () => {
    const { userId } = await fundedTestWallet(db, 10_000_000n, now);
    const other = await fundedTestWallet(db, 10_000_000n, now);
    const first = await hold(userId, 1_000_000n, at(1), 'a');
    const posted = await hold(userId, 2_000_000n, at(2), 'b');
    const voided = await hold(userId, 3_000_000n, at(3), 'c');
    const last = await hold(userId, 500_000n, at(4), 'd');
    await hold(other.userId, 1n, at(5), 'e');
    await postHold(db, posted, 100n, at(6));
    await voidHold(db, voided, at(6));

    expect(await listOpenHolds(db, { userId })).toEqual([
      { id: last, amount: 500_000n, model: 'd', createdAt: at(4), expiresAt: at(604) },
      { id: first, amount: 1_000_000n, model: 'a', createdAt: at(1), expiresAt: at(601) },
    ]);
    expect(await listOpenHolds(db, { userId }, 1)).toHaveLength(1);
  });

  it('reads the balance with its holds, held being their sum', async () => {
    const { userId } = await fundedTestWallet(db, 10_000_000n, now);
    await hold(userId, 1_000_000n, at(1), 'a');
    await hold(userId, 250_000n, at(2), 'b');
    const wallet = await readBalanceWithHolds(db, { userId });
    expect(wallet).toMatchObject({
      balance: 10_000_000n,
      held: 1_250_000n,
      available: 8_750_000n,
      openHolds: 2,
    });
    expect(wallet.holds.reduce((sum, item) => sum + item.amount, 0n)).toBe(wallet.held);
  });

  it('has nothing for an owner who never had a wallet', async () => {
    const userId = await insertLedgerTestUser(db);
    expect(await listOpenHolds(db, { userId })).toEqual([]);
    expect(await readBalanceWithHolds(db, { userId })).toEqual({
      balance: 0n,
      held: 0n,
      available: 0n,
      openHolds: 0,
      holds: [],
    });
  });
});
