/**
 * A member's key spends the organisation's shared wallet, within the member's spend limit, with no
 * query before the hold but the hold itself (the membership comes with the cached key).
 */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from '../../test/gateway-test-app.js';
import { createApiKey } from '../accounts/api-keys.js';
import { organisationMembers } from '../db/schema/index.js';
import { insertLedgerTestOrganisation, insertLedgerTestUser } from '../ledger/ledger-test-fixtures.js';
import { readBalance } from '../ledger/read-balance.js';
import { SYSTEM_ACCOUNTS } from '../ledger/system-accounts.js';
import { transfer } from '../ledger/transfer.js';
import { ensureWallet } from '../ledger/wallets.js';

let gateway: GatewayTestApp;
beforeAll(async () => {
  gateway = await createGatewayTestApp();
});
afterAll(async () => {
  await gateway.assertLedgerConsistent();
  await gateway.close();
});

async function memberKey(limit: bigint | null) {
  const db = gateway.ctx.db;
  const owner = await insertLedgerTestUser(db);
  const member = await insertLedgerTestUser(db);
  const organisationId = await insertLedgerTestOrganisation(db, owner);
  await db.insert(organisationMembers).values([
    { organisationId, userId: owner, role: 'owner' },
    { organisationId, userId: member, role: 'member', spendLimitMicros: limit, spendLimitPeriod: 'month' },
  ]);
  const walletId = await ensureWallet(db, { organisationId });
  await transfer(db, {
    debitAccountId: SYSTEM_ACCOUNTS.payments_clearing,
    creditAccountId: walletId,
    amount: 5_000_000n,
    kind: 'top_up',
    idempotencyKey: `org-fixture:${organisationId}`,
    actor: 'system',
    now: gateway.ctx.now(),
  });
  const { key } = await createApiKey(
    db,
    { userId: member, name: 'org', organisationId },
    null,
    gateway.ctx.now(),
  );
  return { organisationId, member, key };
}

async function chat(key: string) {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'openai/gpt-4o-mini',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  return {
    status: response.status,
    cost: response.headers.get('x-mixgate-cost'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('organisation keys', () => {
  it('charge the shared wallet, attributed to the member, not the member’s own wallet', async () => {
    const { organisationId, member, key } = await memberKey(null);
    const answer = await chat(key);
    expect(answer.status).toBe(200);
    await gateway.ctx.gateway.settlements.drain();
    const { rows } = await gateway.ctx.db.execute<{ amount: string; member_user_id: string }>(
      sql`SELECT amount::text, member_user_id FROM ledger_transfers WHERE kind = 'usage' AND member_user_id = ${member}`,
    );
    expect(rows).toHaveLength(1);
    const cost = BigInt(rows[0]!.amount);
    expect(answer.cost).toBe(`0.${String(cost).padStart(6, '0')}`);
    expect(await readBalance(gateway.ctx.db, { organisationId })).toMatchObject({
      balance: 5_000_000n - cost,
      held: 0n,
    });
  });

  it('stop at the member’s spend limit with 402 and no provider call', async () => {
    const { key } = await memberKey(10n);
    const before = gateway.fakes.openai.requests.length;
    const refused = await chat(key);
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({ error: { code: 'spend_limit_reached' } });
    expect(gateway.fakes.openai.requests.length).toBe(before);
  });

  it('stop working once the member has left the organisation', async () => {
    const { organisationId, member, key } = await memberKey(null);
    expect((await chat(key)).status).toBe(200);
    await gateway.ctx.db
      .delete(organisationMembers)
      .where(
        and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, member)),
      );
    gateway.clock.advance(2_000); // past the key cache's one-second lifetime
    expect((await chat(key)).status).toBe(401);
  });
});
