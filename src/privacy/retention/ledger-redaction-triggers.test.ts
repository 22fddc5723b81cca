import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/test-app.js';
import { placeHold, postHold } from '../../ledger/holds.js';
import { fundedTestWallet } from '../../ledger/ledger-test-fixtures.js';
import { SYSTEM_ACCOUNTS } from '../../ledger/system-accounts.js';
import { transfer } from '../../ledger/transfer.js';

const test = await createTestApp({}, { webRoot: null });
const { pool } = test.ctx;

/** Runs `statement` in a transaction, with or without the redaction switch, and rolls it back. */
async function attempt(redaction: boolean, statement: string, values: unknown[] = []): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (redaction) await client.query(`SELECT set_config('mixgate.ledger_redaction', 'on', true)`);
    await client.query(statement, values);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

let transferId: number;
let postedHoldId: number;
let openHoldId: number;

beforeAll(async () => {
  const now = test.clock.now;
  const { userId, walletId } = await fundedTestWallet(test.ctx.db, 10_000_000n, now);
  ({ transferId } = await transfer(test.ctx.db, {
    debitAccountId: walletId,
    creditAccountId: SYSTEM_ACCOUNTS.revenue,
    amount: 1_000_000n,
    kind: 'manual_debit',
    idempotencyKey: randomUUID(),
    reason: 'Chargeback',
    actor: `staff:${randomUUID()}`,
    now,
  }));
  const hold = (key: string) =>
    placeHold(test.ctx.db, {
      wallet: { userId },
      amount: 2_000_000n,
      idempotencyKey: key,
      expiresAt: new Date(now.getTime() + 600_000),
      now,
      actor: `user:${userId}`,
      model: 'gpt-4o',
      apiKeyId: randomUUID(),
    });
  postedHoldId = (await hold(`gen-${randomUUID()}`)).holdId;
  await postHold(test.ctx.db, postedHoldId, 1_500_000n, now);
  openHoldId = (await hold(`gen-${randomUUID()}`)).holdId;
});

const REDACT_TRANSFER = `UPDATE ledger_transfers SET reason = NULL, model = NULL, member_user_id = NULL, actor = 'redacted' WHERE id = $1`;
const REDACT_HOLD = `UPDATE ledger_holds SET model = NULL, member_user_id = NULL, actor = 'redacted' WHERE id = $1`;

describe('the ledger transfers trigger', () => {
  it('lets a redaction through under the switch', async () => {
    await expect(attempt(true, REDACT_TRANSFER, [transferId])).resolves.toBeUndefined();
  });

  it('refuses the same redaction without the switch', async () => {
    await expect(attempt(false, REDACT_TRANSFER, [transferId])).rejects.toThrow(/append-only/);
  });

  it.each([
    ['the amount', 'amount = amount + 1'],
    ['the debited account', `debit_account_id = ${SYSTEM_ACCOUNTS.promotions}`],
    ['the kind', `kind = 'refund'`],
    ['the idempotency key', `idempotency_key = 'other'`],
    ['the time', `created_at = created_at - interval '1 day'`],
    ['the API key', `api_key_id = '${randomUUID()}'`],
    ['the hold', 'hold_id = 1'],
    ['a reason to another text', `reason = 'Something else'`, `actor = 'redacted'`],
    ['the actor to someone else', `actor = 'user:${randomUUID()}'`],
    ['the member to someone else', `member_user_id = '${randomUUID()}'`],
  ])('refuses changing %s under the switch', async (_what, assignment, redaction = 'reason = NULL') => {
    // Each change rides along a redaction, which alone would be allowed.
    await expect(
      attempt(true, `UPDATE ledger_transfers SET ${redaction}, ${assignment} WHERE id = $1`, [transferId]),
    ).rejects.toThrow(/append-only/);
  });

  it('refuses DELETE and TRUNCATE under the switch', async () => {
    await expect(attempt(true, 'DELETE FROM ledger_transfers WHERE id = $1', [transferId])).rejects.toThrow(
      /append-only/,
    );
    await expect(attempt(true, 'TRUNCATE ledger_transfers CASCADE')).rejects.toThrow(/append-only/);
  });
});

describe('the ledger holds trigger', () => {
  it('lets a settled hold be redacted under the switch', async () => {
    await expect(attempt(true, REDACT_HOLD, [postedHoldId])).resolves.toBeUndefined();
  });

  it('refuses the same redaction of a settled hold without the switch', async () => {
    await expect(attempt(false, REDACT_HOLD, [postedHoldId])).rejects.toThrow(/already posted/);
  });

  it.each([
    ['the status', `status = 'voided', posted_amount = NULL`],
    ['the posted amount', 'posted_amount = posted_amount - 1'],
    ['the amount', 'amount = amount + 1'],
    ['the API key', `api_key_id = '${randomUUID()}'`],
    ['the time it was settled', `resolved_at = resolved_at - interval '1 day'`],
    ['the model to another', `model = 'other'`, `actor = 'redacted'`],
    ['the actor to someone else', `actor = 'user:${randomUUID()}'`],
  ])(
    'refuses changing %s of a settled hold under the switch',
    async (_what, assignment, redaction = 'model = NULL') => {
      await expect(
        attempt(true, `UPDATE ledger_holds SET ${redaction}, ${assignment} WHERE id = $1`, [postedHoldId]),
      ).rejects.toThrow(/already posted/);
    },
  );

  it('refuses DELETE under the switch', async () => {
    await expect(attempt(true, 'DELETE FROM ledger_holds WHERE id = $1', [postedHoldId])).rejects.toThrow(
      /already posted/,
    );
    await expect(attempt(true, 'DELETE FROM ledger_holds WHERE id = $1', [openHoldId])).rejects.toThrow(
      /already open/,
    );
  });

  it('still refuses a changed amount on an open hold, switch or not', async () => {
    for (const redaction of [false, true]) {
      await expect(
        attempt(redaction, 'UPDATE ledger_holds SET amount = amount + 1 WHERE id = $1', [openHoldId]),
      ).rejects.toThrow(/already open/);
    }
  });
});
