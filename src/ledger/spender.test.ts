import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { placeHold, postHold } from './holds.js';
import { SpendLimitError } from './ledger-errors.js';
import { insertLedgerTestOrganisation, insertLedgerTestUser } from './ledger-test-fixtures.js';
import { readBalance } from './read-balance.js';
import { forgetSpendCounters, memberScope } from './spend-counters.js';
import { holdFor, resolveSpender } from './spender.js';
import { SYSTEM_ACCOUNTS } from './system-accounts.js';
import { transfer } from './transfer.js';
import { ensureWallet } from './wallets.js';

const { db } = await createTestDatabase();
const november = new Date('2026-11-23T12:00:00Z');
const december = new Date('2026-12-01T00:00:00Z');

async function fundedOrganisation(amount: bigint) {
  const owner = await insertLedgerTestUser(db);
  const member = await insertLedgerTestUser(db);
  const organisationId = await insertLedgerTestOrganisation(db, owner);
  await db.execute(sql`
    INSERT INTO organisation_members (organisation_id, user_id, role) VALUES
      (${organisationId}, ${owner}, 'owner'), (${organisationId}, ${member}, 'member')`);
  const walletId = await ensureWallet(db, { organisationId });
  await transfer(db, {
    debitAccountId: SYSTEM_ACCOUNTS.payments_clearing,
    creditAccountId: walletId,
    amount,
    kind: 'top_up',
    idempotencyKey: `org-${organisationId}`,
    actor: 'system',
    now: november,
  });
  return { owner, member, organisationId };
}

function request(now: Date, amount = 1_000_000n) {
  return {
    amount,
    idempotencyKey: randomUUID(),
    expiresAt: new Date(now.getTime() + 60_000),
    now,
    model: 'm',
  };
}

describe('organisation spending', () => {
  it('holds and posts a member’s usage on the organisation wallet', async () => {
    const { member, organisationId } = await fundedOrganisation(5_000_000n);
    const spender = await resolveSpender(db, { userId: member, organisationId });
    const hold = await placeHold(db, holdFor(spender, request(november)));
    await postHold(db, hold.holdId, 400_000n, november);
    expect(await readBalance(db, { organisationId })).toMatchObject({ balance: 4_600_000n, held: 0n });
    expect(await readBalance(db, { userId: member })).toMatchObject({ balance: 0n });
  });

  it('stops a member at their monthly limit and lets them spend again next month', async () => {
    const { member, organisationId } = await fundedOrganisation(50_000_000n);
    await db.execute(sql`UPDATE organisation_members SET spend_limit_micros = 2500000
      WHERE organisation_id = ${organisationId} AND user_id = ${member}`);
    const spender = await resolveSpender(db, { userId: member, organisationId });
    const first = await placeHold(db, holdFor(spender, request(november)));
    await placeHold(db, holdFor(spender, request(november)));
    const refused = await placeHold(db, holdFor(spender, request(november))).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SpendLimitError);
    expect(refused).toMatchObject({ scope: 'member', remaining: 500_000n });
    // Capturing less than held frees the difference within the month.
    await postHold(db, first.holdId, 100_000n, november);
    await placeHold(db, holdFor(spender, request(november, 1_400_000n)));
    await placeHold(db, holdFor(spender, request(december, 2_500_000n)));
  });

  it('counts the usage of the period so far when a limit is set later', async () => {
    const { member, organisationId } = await fundedOrganisation(50_000_000n);
    const unlimited = await resolveSpender(db, { userId: member, organisationId });
    const hold = await placeHold(db, holdFor(unlimited, request(november)));
    await postHold(db, hold.holdId, 900_000n, november);
    await db.execute(sql`UPDATE organisation_members SET spend_limit_micros = 1000000
      WHERE organisation_id = ${organisationId} AND user_id = ${member}`);
    await forgetSpendCounters(db, memberScope(organisationId, member));
    const limited = await resolveSpender(db, { userId: member, organisationId });
    await expect(placeHold(db, holdFor(limited, request(november, 200_000n)))).rejects.toBeInstanceOf(
      SpendLimitError,
    );
    await placeHold(db, holdFor(limited, request(november, 100_000n)));
  });

  it('applies a key’s own limit on top, across its lifetime', async () => {
    const { member, organisationId } = await fundedOrganisation(50_000_000n);
    const apiKey = { id: randomUUID(), spendLimitMicros: 1_500_000n, spendLimitPeriod: 'total' as const };
    const spender = await resolveSpender(db, { userId: member, organisationId, apiKey });
    await placeHold(db, holdFor(spender, request(november)));
    await expect(placeHold(db, holdFor(spender, request(december)))).rejects.toMatchObject({
      scope: 'api_key',
      remaining: 500_000n,
    });
  });

  it('refuses someone who is not a member', async () => {
    const { organisationId } = await fundedOrganisation(1_000_000n);
    const stranger = await insertLedgerTestUser(db);
    await expect(resolveSpender(db, { userId: stranger, organisationId })).rejects.toMatchObject({
      status: 403,
    });
  });
});

describe('resolveSpender with the membership at hand', () => {
  it('asks the database nothing (the gateway holds it from the key cache)', async () => {
    const noDatabase = new Proxy(
      {},
      {
        get: () => {
          throw new Error('no query expected');
        },
      },
    ) as never;
    const spender = await resolveSpender(noDatabase, {
      userId: '00000000-0000-4000-8000-000000000001',
      organisationId: '00000000-0000-4000-8000-000000000002',
      apiKey: {
        id: '00000000-0000-4000-8000-000000000003',
        spendLimitMicros: null,
        spendLimitPeriod: 'total',
      },
      member: { spendLimitMicros: 5_000n, spendLimitPeriod: 'week' },
    });
    expect(spender).toMatchObject({
      wallet: { organisationId: '00000000-0000-4000-8000-000000000002' },
      memberUserId: '00000000-0000-4000-8000-000000000001',
      memberLimit: { limit: 5_000n, period: 'week' },
      keyLimit: null,
    });
  });
});
