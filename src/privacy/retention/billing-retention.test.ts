import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/test-app.js';
import { listApiKeys } from '../../accounts/api-keys.js';
import { checkLedger } from '../../ledger/check-ledger.js';
import { placeHold, postHold, voidHold } from '../../ledger/holds.js';
import {
  fundedTestWallet,
  insertLedgerTestOrganisation,
  insertLedgerTestUser,
} from '../../ledger/ledger-test-fixtures.js';
import { SYSTEM_ACCOUNTS } from '../../ledger/system-accounts.js';
import { transfer } from '../../ledger/transfer.js';
import { ensureWallet } from '../../ledger/wallets.js';
import { billingRecordsRule, ledgerRedactionRule } from './billing-retention.js';
import { placeLegalHold } from './legal-holds.js';
import type { RetentionRule } from './retention-rules.js';
import { runRetention } from './run-retention.js';

const DAY = 86_400_000;
const test = await createTestApp({}, { webRoot: null });
const { pool } = test.ctx;

/** The rule alone, as the daily sweep runs it (other rules would act on these fixtures too). */
async function sweep(rule: RetentionRule): Promise<number> {
  return (await runRetention(test.ctx, [rule])).rules[0]!.affected;
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

async function apiKeyOf(userId: string, lifetimeLimit: bigint | null = null): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO api_keys (id, user_id, name, prefix, key_hash, scopes, spend_limit_micros, spend_limit_period)
     VALUES ($1, $2, 'ci', 'mg-x', $3, '{}', $4, 'total')`,
    [id, userId, randomUUID(), lifetimeLimit],
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

interface LedgerRow {
  id: string;
  actor: string;
  model: string | null;
  member_user_id: string | null;
  reason?: string | null;
}

async function transferRow(id: number): Promise<LedgerRow & Record<string, unknown>> {
  return (await pool.query('SELECT * FROM ledger_transfers WHERE id = $1', [id])).rows[0];
}

async function holdRow(id: number): Promise<LedgerRow & Record<string, unknown>> {
  return (await pool.query('SELECT * FROM ledger_holds WHERE id = $1', [id])).rows[0];
}

async function transferOfHold(holdId: number): Promise<number> {
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM ledger_transfers WHERE hold_id = $1', [
    holdId,
  ]);
  return Number(rows[0]!.id);
}

/** A usage hold of 2 credits on `wallet`, posted for 1.5 (or voided), as the gateway settles one. */
async function usage(
  input: Omit<Parameters<typeof placeHold>[1], 'amount' | 'idempotencyKey' | 'expiresAt' | 'now'>,
  settle: 'post' | 'void' = 'post',
): Promise<number> {
  const now = test.clock.now;
  const { holdId } = await placeHold(test.ctx.db, {
    ...input,
    amount: 2_000_000n,
    idempotencyKey: `gen-${randomUUID()}`,
    expiresAt: new Date(now.getTime() + 600_000),
    now,
  });
  if (settle === 'post') await postHold(test.ctx.db, holdId, 1_500_000n, now);
  else await voidHold(test.ctx.db, holdId, now);
  return holdId;
}

async function balances(): Promise<Record<string, string>> {
  const { rows } = await pool.query<{ id: string; balance: string; held: string }>(
    'SELECT id::text, balance::text, held::text FROM ledger_accounts ORDER BY id',
  );
  return Object.fromEntries(rows.map((row) => [row.id, `${row.balance}/${row.held}`]));
}

/** Every column of the rows but the personal ones the redaction clears. */
async function accountingColumns(table: 'ledger_transfers' | 'ledger_holds'): Promise<unknown[]> {
  const personal = table === 'ledger_transfers' ? `- 'reason'` : '';
  const { rows } = await pool.query(
    `SELECT to_jsonb(t) - 'actor' - 'model' - 'member_user_id' ${personal} AS row FROM ${table} t ORDER BY id`,
  );
  return rows.map((row) => row.row);
}

describe('old transactions and holds', () => {
  it('lose their personal details after the period; amounts, balances and held subjects stay', async () => {
    const rule = ledgerRedactionRule(2); // several batches, as a large ledger would take
    await sweep(rule); // the rows of the test above are already past the period
    const then = test.clock.now;
    const officer = await insertLedgerTestUser(test.ctx.db);
    const { userId: user, walletId } = await fundedTestWallet(test.ctx.db, 40_000_000n, then);
    const key = await apiKeyOf(user, 100_000_000n);
    const refund = await transfer(test.ctx.db, {
      debitAccountId: walletId,
      creditAccountId: SYSTEM_ACCOUNTS.revenue,
      amount: 1_000_000n,
      kind: 'manual_debit',
      idempotencyKey: randomUUID(),
      reason: 'Chargeback of the card ending 4242',
      actor: `staff:${officer}`,
      now: then,
    });
    const posted = await usage({
      wallet: { userId: user },
      actor: `user:${user}`,
      model: 'gpt-4o',
      apiKeyId: key,
      keyLimit: { limit: 100_000_000n, period: 'total' },
    });
    const voided = await usage({ wallet: { userId: user }, actor: `user:${user}`, model: 'gpt-4o' }, 'void');
    const open = await placeHold(test.ctx.db, {
      wallet: { userId: user },
      amount: 1_000_000n,
      idempotencyKey: `gen-${randomUUID()}`,
      expiresAt: new Date(then.getTime() + 1900 * DAY),
      now: then,
      actor: `user:${user}`,
      model: 'gpt-4o',
    });

    // An organisation: one member without a limit, one with a lifetime limit.
    const organisation = await insertLedgerTestOrganisation(test.ctx.db, user);
    const organisationWallet = await ensureWallet(test.ctx.db, { organisationId: organisation });
    await transfer(test.ctx.db, {
      debitAccountId: SYSTEM_ACCOUNTS.payments_clearing,
      creditAccountId: organisationWallet,
      amount: 20_000_000n,
      kind: 'top_up',
      idempotencyKey: randomUUID(),
      actor: `user:${user}`,
      now: then,
    });
    const member = await insertLedgerTestUser(test.ctx.db);
    const limited = await insertLedgerTestUser(test.ctx.db);
    await pool.query(
      `INSERT INTO organisation_members (organisation_id, user_id, role, spend_limit_micros, spend_limit_period)
       VALUES ($1, $2, 'member', NULL, 'month'), ($1, $3, 'member', 50000000, 'total')`,
      [organisation, member, limited],
    );
    const memberUsage = await usage({
      wallet: { organisationId: organisation },
      actor: `user:${member}`,
      memberUserId: member,
      model: 'claude',
    });
    const limitedUsage = await usage({
      wallet: { organisationId: organisation },
      actor: `user:${limited}`,
      memberUserId: limited,
      model: 'claude',
      memberLimit: { limit: 50_000_000n, period: 'total' },
    });

    // A user under a legal hold, and a member under one spending from the free organisation.
    const { userId: heldUser } = await fundedTestWallet(test.ctx.db, 10_000_000n, then);
    const heldUsage = await usage({
      wallet: { userId: heldUser },
      actor: `user:${heldUser}`,
      model: 'gpt-4o',
    });
    const heldMember = await insertLedgerTestUser(test.ctx.db);
    const heldMemberUsage = await usage({
      wallet: { organisationId: organisation },
      actor: `user:${heldMember}`,
      memberUserId: heldMember,
      model: 'claude',
    });
    await placeLegalHold(test.ctx.db, {
      scope: 'user',
      subjectId: heldUser,
      reason: 'Dispute',
      ownerId: officer,
      now: then,
    });
    await placeLegalHold(test.ctx.db, {
      scope: 'user',
      subjectId: heldMember,
      reason: 'Investigation',
      ownerId: officer,
      now: then,
    });

    test.clock.advance(1827 * DAY - DAY);
    expect(await sweep(rule)).toBe(0);

    test.clock.advance(2 * DAY);
    const recent = await usage({
      wallet: { userId: user },
      actor: `user:${user}`,
      model: 'gpt-4o',
      apiKeyId: key,
      keyLimit: { limit: 100_000_000n, period: 'total' },
    });
    const balancesBefore = await balances();
    const transfersBefore = await accountingColumns('ledger_transfers');
    const holdsBefore = await accountingColumns('ledger_holds');
    const [keyBefore] = await listApiKeys(test.ctx.db, user, test.clock.now);
    expect(keyBefore!.spentMicros).toBe(3_000_000n);

    const affected = await sweep(rule);

    const redactedTransfer = { actor: 'redacted', model: null, member_user_id: null, reason: null };
    expect(await transferRow(refund.transferId)).toMatchObject({ ...redactedTransfer, amount: '1000000' });
    expect(await transferRow(await transferOfHold(posted))).toMatchObject({
      ...redactedTransfer,
      api_key_id: key,
    });
    expect(await transferRow(await transferOfHold(memberUsage))).toMatchObject(redactedTransfer);
    // The lifetime limit still counts this member's old spend.
    expect(await transferRow(await transferOfHold(limitedUsage))).toMatchObject({
      ...redactedTransfer,
      member_user_id: limited,
    });
    for (const hold of [posted, voided, memberUsage, limitedUsage]) {
      expect(await holdRow(hold)).toMatchObject({ actor: 'redacted', model: null, member_user_id: null });
    }
    // The top-ups name no one: their actor stays.
    const systemTopUp = await pool.query<{ actor: string }>(
      `SELECT actor FROM ledger_transfers WHERE idempotency_key = $1`,
      [`fixture:${user}`],
    );
    expect(systemTopUp.rows[0]!.actor).toBe('system');

    // Untouched: the open hold, the recent usage, the held user's and the held member's.
    expect(await holdRow(open.holdId)).toMatchObject({ actor: `user:${user}`, model: 'gpt-4o' });
    expect(await holdRow(recent)).toMatchObject({ actor: `user:${user}`, model: 'gpt-4o' });
    expect(await transferRow(await transferOfHold(recent))).toMatchObject({ model: 'gpt-4o' });
    expect(await transferRow(await transferOfHold(heldUsage))).toMatchObject({ actor: `user:${heldUser}` });
    expect(await holdRow(heldUsage)).toMatchObject({ model: 'gpt-4o' });
    expect(await transferRow(await transferOfHold(heldMemberUsage))).toMatchObject({
      member_user_id: heldMember,
      model: 'claude',
    });
    expect(await holdRow(heldMemberUsage)).toMatchObject({ member_user_id: heldMember });

    // refund, 4 transfers (top-up of the organisation, 3 usage) and 4 holds.
    expect(affected).toBe(9);
    expect(await accountingColumns('ledger_transfers')).toEqual(transfersBefore);
    expect(await accountingColumns('ledger_holds')).toEqual(holdsBefore);
    expect(await balances()).toEqual(balancesBefore);
    const [keyAfter] = await listApiKeys(test.ctx.db, user, test.clock.now);
    expect(keyAfter!.spentMicros).toBe(3_000_000n);
    const check = await checkLedger(test.ctx.db);
    expect(check.problems).toEqual([]);
    expect(check.ok).toBe(true);

    // What is redacted is not redacted again.
    expect(await sweep(rule)).toBe(0);
  });
});
