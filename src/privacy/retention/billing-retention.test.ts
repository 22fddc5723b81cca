import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/test-app.js';
import { checkLedger } from '../../ledger/check-ledger.js';
import {
  fundedTestWallet,
  insertLedgerTestOrganisation,
  insertLedgerTestUser,
} from '../../ledger/ledger-test-fixtures.js';
import { SYSTEM_ACCOUNTS } from '../../ledger/system-accounts.js';
import { transfer } from '../../ledger/transfer.js';
import { billingRecordsRule } from './billing-retention.js';
import { activeHolds, placeLegalHold } from './legal-holds.js';
import type { RetentionRule } from './retention-rules.js';

const DAY = 86_400_000;
const test = await createTestApp({}, { webRoot: null });
const { pool } = test.ctx;

/** The rule alone, as the daily sweep runs it (other rules would act on these fixtures too). */
async function sweep(rule: RetentionRule): Promise<number> {
  const now = test.ctx.now();
  const cutoff = new Date(now.getTime() - test.ctx.config[rule.setting] * DAY);
  return rule.sweep(
    { pool: test.ctx.pool, config: test.ctx.config, now, holds: await activeHolds(test.ctx.db) },
    cutoff,
  );
}

async function counter(scope: string, periodStart: Date): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO ledger_spend_counters (scope, period_start, spent) VALUES ($1, $2, 5000000) RETURNING id`,
    [scope, periodStart],
  );
  return Number(rows[0]!.id);
}

async function remaining(ids: number[]): Promise<number[]> {
  const { rows } = await pool.query<{ id: string }>(
    'SELECT id FROM ledger_spend_counters WHERE id = ANY($1::bigint[]) ORDER BY id',
    [ids],
  );
  return rows.map((row) => Number(row.id));
}

async function apiKeyOf(userId: string): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO api_keys (id, user_id, name, prefix, key_hash, scopes) VALUES ($1, $2, 'ci', 'mg-x', $3, '{}')`,
    [id, userId, randomUUID()],
  );
  return id;
}

const monthStart = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));

describe('billing records past their period', () => {
  it('deletes the spend counters of periods ended before the cutoff, keeps the ledger whole and held data', async () => {
    const then = test.clock.now;
    const { userId: free, walletId } = await fundedTestWallet(test.ctx.db, 40_000_000n, then);
    await transfer(test.ctx.db, {
      debitAccountId: walletId,
      creditAccountId: SYSTEM_ACCOUNTS.revenue,
      amount: 1_500_000n,
      kind: 'manual_debit',
      idempotencyKey: randomUUID(),
      reason: 'Chargeback of the card ending 4242',
      actor: 'cli',
      now: then,
    });
    const heldUser = await insertLedgerTestUser(test.ctx.db);
    const heldOrganisation = await insertLedgerTestOrganisation(test.ctx.db, free);
    const freeOrganisation = await insertLedgerTestOrganisation(test.ctx.db, free);
    const freeKey = await apiKeyOf(free);
    const heldKey = await apiKeyOf(heldUser);
    const oldPeriod = monthStart(then);

    const old = [
      await counter(`api_key:${freeKey}`, oldPeriod),
      await counter(`member:${freeOrganisation}:${free}`, oldPeriod),
    ];
    const held = [
      await counter(`api_key:${heldKey}`, oldPeriod),
      await counter(`member:${freeOrganisation}:${heldUser}`, oldPeriod),
      await counter(`member:${heldOrganisation}:${free}`, oldPeriod),
    ];
    const total = await counter(`api_key:${freeKey}`, new Date(0));
    const officer = await insertLedgerTestUser(test.ctx.db);
    await placeLegalHold(test.ctx.db, {
      scope: 'user',
      subjectId: heldUser,
      reason: 'Dispute',
      ownerId: officer,
      now: then,
    });
    await placeLegalHold(test.ctx.db, {
      scope: 'organisation',
      subjectId: heldOrganisation,
      reason: 'Tax audit',
      ownerId: officer,
      now: then,
    });
    const transfersBefore = (await pool.query('SELECT * FROM ledger_transfers ORDER BY id')).rows;

    // Five years later: the records of `then` are still within the period.
    test.clock.advance(1827 * DAY - 31 * DAY);
    const early = await counter(`api_key:${freeKey}`, monthStart(test.clock.now));
    expect(await sweep(billingRecordsRule)).toBe(0);
    expect(await remaining([...old, ...held, total, early])).toEqual(
      [...old, ...held, total, early].sort((a, b) => a - b),
    );

    test.clock.advance(62 * DAY);
    const recent = await counter(`api_key:${freeKey}`, monthStart(test.clock.now));
    expect(await sweep(billingRecordsRule)).toBe(old.length);
    expect(await remaining([...old, ...held, total, early, recent])).toEqual([...held, total, early, recent]);

    // The transfers, their balances and the whole ledger are as they were.
    expect((await pool.query('SELECT * FROM ledger_transfers ORDER BY id')).rows).toEqual(transfersBefore);
    const { rows } = await pool.query<{ balance: string }>(
      'SELECT balance::text FROM ledger_accounts WHERE id = $1',
      [walletId],
    );
    expect(rows[0]!.balance).toBe('38500000');
    const check = await checkLedger(test.ctx.db);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);
  });
});
