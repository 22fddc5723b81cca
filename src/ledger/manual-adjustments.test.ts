import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { securityEvents } from '../db/schema/index.js';
import { placeHold } from './holds.js';
import { InsufficientCreditError } from './ledger-errors.js';
import {
  fundedTestWallet,
  insertLedgerTestOrganisation,
  insertLedgerTestUser,
} from './ledger-test-fixtures.js';
import { creditManually, debitManually, grantPromotion } from './manual-adjustments.js';
import { readBalance } from './read-balance.js';
import { SYSTEM_ACCOUNTS } from './system-accounts.js';

const database = await createTestDatabase();
const db = database.db;
const now = new Date('2026-11-23T12:00:00Z');

async function eventsOf(userId: string) {
  return db.select().from(securityEvents).where(eq(securityEvents.userId, userId));
}

async function systemBalance(id: number): Promise<bigint> {
  const result = await db.execute<{ balance: string }>(
    sql`SELECT balance FROM ledger_accounts WHERE id = ${id}`,
  );
  return BigInt(result.rows[0]!.balance);
}

async function transferRow(id: number) {
  const result = await db.execute<Record<string, unknown>>(
    sql`SELECT * FROM ledger_transfers WHERE id = ${id}`,
  );
  return result.rows[0];
}

describe('manual credit adjustments', () => {
  it('credits a wallet from the manual-adjustments account and logs it with the reason', async () => {
    const userId = await insertLedgerTestUser(db);
    const staffUserId = await insertLedgerTestUser(db);
    const before = await systemBalance(SYSTEM_ACCOUNTS.manual_adjustments);
    const result = await creditManually(db, {
      owner: { userId },
      amount: 12_500_000n,
      reason: '  Goodwill for outage #42  ',
      actor: { staffUserId },
      ip: '203.0.113.9',
      userAgent: 'console',
      now,
    });
    expect(result).toMatchObject({
      replayed: false,
      balance: { balance: 12_500_000n, held: 0n, available: 12_500_000n },
    });
    expect(await systemBalance(SYSTEM_ACCOUNTS.manual_adjustments)).toBe(before - 12_500_000n);
    expect(await transferRow(result.transferId)).toMatchObject({
      debit_account_id: String(SYSTEM_ACCOUNTS.manual_adjustments),
      credit_account_id: String(result.walletId),
      amount: '12500000',
      kind: 'manual_credit',
      reason: 'Goodwill for outage #42',
      actor: `staff:${staffUserId}`,
    });
    const events = await eventsOf(userId);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'credit_adjusted',
        actorId: staffUserId,
        ip: '203.0.113.9',
        details: {
          amount: '12.500000',
          direction: 'credit',
          reason: 'Goodwill for outage #42',
          transferId: result.transferId,
          via: 'console',
        },
      }),
    ]);
  });

  it('answers a replayed key with the first adjustment, moving and logging nothing more', async () => {
    const userId = await insertLedgerTestUser(db);
    const input = {
      owner: { userId },
      amount: 2_000_000n,
      reason: 'Refund of a failed generation',
      actor: { cli: true as const },
      idempotencyKey: `ticket-7-${userId}`,
      now,
    };
    const first = await creditManually(db, input);
    const again = await creditManually(db, input);
    expect(again).toMatchObject({ transferId: first.transferId, replayed: true });
    expect(again.balance.balance).toBe(2_000_000n);
    expect(await eventsOf(userId)).toHaveLength(1);
    await expect(creditManually(db, { ...input, amount: 3_000_000n })).rejects.toMatchObject({ status: 409 });
  });

  it('credits twice when no key is given: each CLI run is a new adjustment', async () => {
    const userId = await insertLedgerTestUser(db);
    const input = {
      owner: { userId },
      amount: 1_000_000n,
      reason: 'Top-up by hand',
      actor: { cli: true as const },
      now,
    };
    const first = await creditManually(db, input);
    const second = await creditManually(db, input);
    expect(second.transferId).not.toBe(first.transferId);
    expect(second.balance.balance).toBe(2_000_000n);
    const events = await eventsOf(userId);
    expect(events.map((event) => event.details.via)).toEqual(['cli', 'cli']);
    expect(events.every((event) => event.actorId === null)).toBe(true);
  });

  it('debits the available balance into the manual-adjustments account', async () => {
    const { userId, walletId } = await fundedTestWallet(db, 5_000_000n);
    const before = await systemBalance(SYSTEM_ACCOUNTS.manual_adjustments);
    const result = await debitManually(db, {
      owner: { userId },
      amount: 1_500_000n,
      reason: 'Credit given twice by mistake',
      actor: { cli: true },
      now,
    });
    expect(result.walletId).toBe(walletId);
    expect(result.balance).toMatchObject({ balance: 3_500_000n, available: 3_500_000n });
    expect(await systemBalance(SYSTEM_ACCOUNTS.manual_adjustments)).toBe(before + 1_500_000n);
    expect(await transferRow(result.transferId)).toMatchObject({ kind: 'manual_debit', actor: 'cli' });
    expect((await eventsOf(userId))[0]?.details).toMatchObject({ amount: '1.500000', direction: 'debit' });
  });

  it('refuses a debit beyond the available balance, open holds included, and logs nothing', async () => {
    const { userId } = await fundedTestWallet(db, 5_000_000n);
    await placeHold(db, {
      wallet: { userId },
      amount: 4_000_000n,
      idempotencyKey: `hold-${userId}`,
      expiresAt: new Date(now.getTime() + 60_000),
      now,
      actor: 'system',
    });
    const error = await debitManually(db, {
      owner: { userId },
      amount: 1_000_001n,
      reason: 'Too much',
      actor: { cli: true },
      now,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InsufficientCreditError);
    expect(error).toMatchObject({ needed: 1_000_001n, available: 1_000_000n, status: 402 });
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 5_000_000n, held: 4_000_000n });
    expect(await eventsOf(userId)).toEqual([]);
  });

  it('refuses a debit from a wallet that never existed, without creating one', async () => {
    const userId = await insertLedgerTestUser(db);
    const input = { owner: { userId }, amount: 1n, reason: 'x', actor: { cli: true as const }, now };
    await expect(debitManually(db, input)).rejects.toBeInstanceOf(InsufficientCreditError);
    const wallets = await db.execute(sql`SELECT id FROM ledger_accounts WHERE user_id = ${userId}`);
    expect(wallets.rows).toEqual([]);
  });

  it('requires a reason of at most 500 characters and a positive amount', async () => {
    const userId = await insertLedgerTestUser(db);
    const base = { owner: { userId }, amount: 1_000_000n, actor: { cli: true as const }, now };
    for (const input of [
      { ...base, reason: '   ' },
      { ...base, reason: 'x'.repeat(501) },
      { ...base, reason: 'ok', amount: 0n },
      { ...base, reason: 'ok', amount: -5n },
    ]) {
      await expect(creditManually(db, input)).rejects.toMatchObject({ code: 'invalid_request' });
    }
    await creditManually(db, { ...base, reason: 'x'.repeat(500) });
    expect((await readBalance(db, { userId })).balance).toBe(1_000_000n);
  });

  it('rolls the transfer back when its security event cannot be written', async () => {
    const userId = await insertLedgerTestUser(db);
    const key = `atomic-${userId}`;
    await expect(
      creditManually(db, {
        owner: { userId },
        amount: 1_000_000n,
        reason: 'Goodwill',
        // Not a UUID: the security log refuses the event after the transfer was made.
        actor: { staffUserId: 'not-a-uuid' },
        idempotencyKey: key,
        now,
      }),
    ).rejects.toThrow(/actorId must be a UUID/);
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 0n });
    const rows = await db.execute(sql`SELECT id FROM ledger_transfers WHERE idempotency_key = ${key}`);
    expect(rows.rows).toEqual([]);
  });

  it('adjusts an organisation wallet, naming the organisation in the log', async () => {
    const ownerId = await insertLedgerTestUser(db);
    const organisationId = await insertLedgerTestOrganisation(db, ownerId);
    const result = await creditManually(db, {
      owner: { organisationId },
      amount: 7_000_000n,
      reason: 'Invoice paid by bank transfer',
      actor: { cli: true },
      now,
    });
    expect((await readBalance(db, { organisationId })).balance).toBe(7_000_000n);
    const [event] = await db
      .select()
      .from(securityEvents)
      .where(
        and(
          eq(securityEvents.type, 'credit_adjusted'),
          sql`${securityEvents.details}->>'organisationId' = ${organisationId}`,
        ),
      );
    expect(event).toMatchObject({ userId: null, details: { transferId: result.transferId } });
  });
});

describe('promotions', () => {
  it('grants credit from the promotions account once per key', async () => {
    const userId = await insertLedgerTestUser(db);
    const before = await systemBalance(SYSTEM_ACCOUNTS.promotions);
    const input = {
      owner: { userId },
      amount: 5_000_000n,
      reason: 'Sign-up bonus',
      campaign: 'launch-2026',
      idempotencyKey: `signup-bonus:${userId}`,
      now,
    };
    const first = await grantPromotion(db, input);
    const again = await grantPromotion(db, input);
    expect(again).toMatchObject({ transferId: first.transferId, replayed: true });
    expect(first.balance.balance).toBe(5_000_000n);
    expect(await systemBalance(SYSTEM_ACCOUNTS.promotions)).toBe(before - 5_000_000n);
    expect(await transferRow(first.transferId)).toMatchObject({ kind: 'promotion', actor: 'system' });
    expect(await eventsOf(userId)).toEqual([
      expect.objectContaining({
        type: 'promotion_granted',
        actorId: null,
        details: {
          amount: '5.000000',
          direction: 'credit',
          reason: 'Sign-up bonus',
          campaign: 'launch-2026',
          transferId: first.transferId,
          via: 'system',
        },
      }),
    ]);
  });
});
