import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { checkLedger } from './check-ledger.js';
import { placeHold, postHold, voidHold } from './holds.js';
import { fundedTestWallet, insertLedgerTestUser } from './ledger-test-fixtures.js';
import { creditManually, debitManually, grantPromotion } from './manual-adjustments.js';
import { SYSTEM_ACCOUNTS } from './system-accounts.js';

// This file breaks the ledger on purpose. Each test undoes its damage (and checks that it did), and
// the database is dropped when the file ends, so CI's `mixgate ledger check` over the databases
// the test run leaves never sees it.
const database = await createTestDatabase({ dropAfterFile: true });
const db = database.db;
const now = new Date('2026-11-23T12:00:00Z');
const later = new Date(now.getTime() + 60_000);

/** Runs `damage`, returns the check's report, then runs `repair` and expects a clean ledger again. */
async function reportAfter(damage: string[], repair: string[]) {
  let report: Awaited<ReturnType<typeof checkLedger>>;
  try {
    for (const statement of damage) await db.execute(sql.raw(statement));
    report = await checkLedger(db);
  } finally {
    for (const statement of repair) await db.execute(sql.raw(statement));
  }
  expect(await checkLedger(db)).toMatchObject({ ok: true, problems: [] });
  return report;
}

/** A little of everything the ledger does: top-ups, captures, voids, open holds, limits, adjustments. */
async function someActivity() {
  const { userId, walletId } = await fundedTestWallet(db, 10_000_000n, now);
  const apiKeyId = randomUUID();
  const hold = (key: string, amount: bigint) =>
    placeHold(db, {
      wallet: { userId },
      amount,
      idempotencyKey: `${key}-${userId}`,
      expiresAt: later,
      now,
      actor: `user:${userId}`,
      apiKeyId,
      keyLimit: { limit: 8_000_000n, period: 'month' },
    });
  const captured = await hold('captured', 2_000_000n);
  const free = await hold('free', 1_000_000n);
  const voided = await hold('voided', 1_000_000n);
  const open = await hold('open', 1_500_000n);
  await postHold(db, captured.holdId, 1_250_000n, now);
  await postHold(db, free.holdId, 0n, now);
  await voidHold(db, voided.holdId, now);
  const actor = { cli: true as const };
  await creditManually(db, { owner: { userId }, amount: 3_000_000n, reason: 'Goodwill', actor, now });
  await debitManually(db, { owner: { userId }, amount: 500_000n, reason: 'Correction', actor, now });
  await grantPromotion(db, {
    owner: { userId },
    amount: 1_000_000n,
    reason: 'Sign-up bonus',
    idempotencyKey: `bonus-${userId}`,
    now,
  });
  return { userId, walletId, captured, open };
}

describe('checkLedger', () => {
  it('finds nothing wrong with an empty ledger', async () => {
    const empty = await createTestDatabase({ dropAfterFile: true });
    expect(await checkLedger(empty.db)).toEqual({
      ok: true,
      accountsChecked: Object.keys(SYSTEM_ACCOUNTS).length,
      transfersChecked: 0,
      holdsChecked: 0,
      problems: [],
    });
  });

  it('finds nothing wrong after ordinary activity, and counts what it checked', async () => {
    await someActivity();
    const report = await checkLedger(db);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.holdsChecked).toBeGreaterThanOrEqual(4);
    expect(report.transfersChecked).toBeGreaterThanOrEqual(5);
    expect(report.accountsChecked).toBeGreaterThanOrEqual(6);
  });

  it('reports a balance changed behind the ledger’s back, and the sum that is no longer zero', async () => {
    const { walletId } = await someActivity();
    const report = await reportAfter(
      [`UPDATE ledger_accounts SET balance = balance + 1 WHERE id = ${walletId}`],
      [`UPDATE ledger_accounts SET balance = balance - 1 WHERE id = ${walletId}`],
    );
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      'the balances of all accounts sum to 0.000001, not 0',
      `account ${walletId} (user_wallet) has balance 12.250001 but its transfers sum to 12.250000`,
    ]);
  });

  it('reports held credit that its open holds do not account for', async () => {
    const { walletId } = await someActivity();
    const report = await reportAfter(
      [`UPDATE ledger_accounts SET held = held + 2000000 WHERE id = ${walletId}`],
      [`UPDATE ledger_accounts SET held = held - 2000000 WHERE id = ${walletId}`],
    );
    expect(report.problems).toEqual([
      `account ${walletId} (user_wallet) holds 3.500000 but its open holds sum to 1.500000`,
    ]);
  });

  it('reports an overdrawn wallet', async () => {
    const { walletId } = await someActivity();
    // The database refuses an overdrawn wallet, so the constraint has to go first.
    const report = await reportAfter(
      [
        'ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_wallet_not_overdrawn',
        `UPDATE ledger_accounts SET held = balance + 1 WHERE id = ${walletId}`,
      ],
      [
        `UPDATE ledger_accounts SET held = 1500000 WHERE id = ${walletId}`,
        `ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_wallet_not_overdrawn
           CHECK (kind NOT IN ('user_wallet', 'organisation_wallet') OR balance - held >= 0)`,
      ],
    );
    expect(report.problems).toContain(
      `account ${walletId} (user_wallet) is overdrawn: balance 12.250000, held 12.250001`,
    );
  });

  it('reports a usage transfer written without a hold, and the balances it broke', async () => {
    const { walletId } = await someActivity();
    const key = `stray-${walletId}`;
    const report = await reportAfter(
      [
        `INSERT INTO ledger_transfers (debit_account_id, credit_account_id, amount, kind, idempotency_key, actor)
         VALUES (${walletId}, ${SYSTEM_ACCOUNTS.revenue}, 100, 'usage', '${key}', 'system')`,
      ],
      [
        'ALTER TABLE ledger_transfers DISABLE TRIGGER USER',
        `DELETE FROM ledger_transfers WHERE idempotency_key = '${key}'`,
        'ALTER TABLE ledger_transfers ENABLE TRIGGER USER',
      ],
    );
    expect(report.problems).toEqual([
      expect.stringMatching(/^account 1 \(revenue\) has balance [\d.]+ but its transfers sum to [\d.]+$/),
      `account ${walletId} (user_wallet) has balance 12.250000 but its transfers sum to 12.249900`,
      expect.stringMatching(/^usage transfer \d+ has no hold$/),
    ]);
  });

  it('reports a posted hold whose transfer moved another amount', async () => {
    const { captured } = await someActivity();
    const report = await reportAfter(
      [
        'ALTER TABLE ledger_transfers DISABLE TRIGGER USER',
        `UPDATE ledger_transfers SET amount = amount + 1 WHERE hold_id = ${captured.holdId}`,
        'ALTER TABLE ledger_transfers ENABLE TRIGGER USER',
      ],
      [
        'ALTER TABLE ledger_transfers DISABLE TRIGGER USER',
        `UPDATE ledger_transfers SET amount = amount - 1 WHERE hold_id = ${captured.holdId}`,
        'ALTER TABLE ledger_transfers ENABLE TRIGGER USER',
      ],
    );
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^hold ${captured.holdId} was posted for 1.250000 but transfer \\d+ moved 1.250001`),
        ),
        expect.stringMatching(
          new RegExp(`^transfer \\d+ moved 1.250001 for hold ${captured.holdId}, posted for 1.250000$`),
        ),
      ]),
    );
  });

  it('reports a posted hold whose transfer is missing', async () => {
    const { captured } = await someActivity();
    const saved = await db.execute<{ id: string }>(
      sql`SELECT id FROM ledger_transfers WHERE hold_id = ${captured.holdId}`,
    );
    const transferId = saved.rows[0]!.id;
    // Moving the transfer off the hold leaves the balances right and only the hold link broken.
    const report = await reportAfter(
      [
        'ALTER TABLE ledger_transfers DISABLE TRIGGER USER',
        `UPDATE ledger_transfers SET hold_id = NULL WHERE id = ${transferId}`,
        'ALTER TABLE ledger_transfers ENABLE TRIGGER USER',
      ],
      [
        'ALTER TABLE ledger_transfers DISABLE TRIGGER USER',
        `UPDATE ledger_transfers SET hold_id = ${captured.holdId} WHERE id = ${transferId}`,
        'ALTER TABLE ledger_transfers ENABLE TRIGGER USER',
      ],
    );
    expect(report.problems).toEqual([
      `hold ${captured.holdId} was posted for 1.250000 but has no transfer`,
      `usage transfer ${transferId} has no hold`,
    ]);
  });

  it('reports a spend counter out of step with its open holds', async () => {
    const { open } = await someActivity();
    const counter = await db.execute<{ key_counter_id: string }>(
      sql`SELECT key_counter_id FROM ledger_holds WHERE id = ${open.holdId}`,
    );
    const counterId = counter.rows[0]!.key_counter_id;
    const report = await reportAfter(
      [`UPDATE ledger_spend_counters SET held = held + 5 WHERE id = ${counterId}`],
      [`UPDATE ledger_spend_counters SET held = held - 5 WHERE id = ${counterId}`],
    );
    expect(report.problems).toEqual([
      expect.stringMatching(
        new RegExp(
          `^spend counter ${counterId} \\(api_key:.*\\) holds 1.500005 but its open holds sum to 1.500000$`,
        ),
      ),
    ]);
  });

  it('reports a system account that is not what its fixed id says', async () => {
    const report = await reportAfter(
      [`UPDATE ledger_accounts SET kind = 'bonuses' WHERE id = ${SYSTEM_ACCOUNTS.promotions}`],
      [`UPDATE ledger_accounts SET kind = 'promotions' WHERE id = ${SYSTEM_ACCOUNTS.promotions}`],
    );
    expect(report.problems).toEqual(['system account 3 should be promotions but is bonuses']);
  });

  it('lists at most 20 problems of one kind and counts the rest', async () => {
    const users = await Promise.all(Array.from({ length: 25 }, () => insertLedgerTestUser(db)));
    const wallets = await Promise.all(
      users.map((userId) =>
        creditManually(db, { owner: { userId }, amount: 10n, reason: 'x', actor: { cli: true }, now }),
      ),
    );
    const ids = wallets.map((wallet) => wallet.walletId).join(',');
    const report = await reportAfter(
      [`UPDATE ledger_accounts SET held = held + 1 WHERE id IN (${ids})`],
      [`UPDATE ledger_accounts SET held = held - 1 WHERE id IN (${ids})`],
    );
    expect(report.problems).toHaveLength(21);
    expect(report.problems.at(-1)).toBe('… and 5 more like the above');
  });
});
