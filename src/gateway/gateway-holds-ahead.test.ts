/**
 * Holds placed ahead (src/ledger/hold-pool.ts) through the whole gateway: a key in steady use has
 * its requests held by holds the pool placed before they arrived, each posted once for exactly the
 * cost the client was told, and the pool gives the rest back by itself once the key goes quiet.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from '../../test/gateway-test-app.js';
import { readBalance } from '../ledger/read-balance.js';
import { parseAmount } from '../lib/money.js';

const CREDIT = 10_000_000n;

let gateway: GatewayTestApp;
let onDemand: GatewayTestApp;

beforeAll(async () => {
  [gateway, onDemand] = await Promise.all([
    createGatewayTestApp(),
    createGatewayTestApp({ GATEWAY_HOLDS_AHEAD: '0' }),
  ]);
});
afterAll(async () => {
  await Promise.all([gateway.assertLedgerConsistent(), onDemand.assertLedgerConsistent()]);
  await Promise.all([gateway.close(), onDemand.close()]);
});

/** Ten chat completions one after the other; the cost each response reported, by generation id. */
async function tenRequests(app: GatewayTestApp, key: string): Promise<Map<string, bigint>> {
  const costs = new Map<string, bigint>();
  for (let n = 0; n < 10; n++) {
    const response = await fetch(`${app.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: `Request ${n}` }],
        max_tokens: 50,
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { usage: { cost: number } };
    costs.set(response.headers.get('x-mixgate-generation-id')!, parseAmount(body.usage.cost.toFixed(6)));
  }
  return costs;
}

/** Each generation of the user with its hold. */
async function holdsOf(app: GatewayTestApp, userId: string) {
  // With the settlement journal (on in the suite's run on the embedded PostgreSQL) the last
  // captures may still be on their way.
  await app.ctx.gateway.settlements.committed();
  const result = await app.ctx.db.execute<{
    id: string;
    cost: string;
    key: string;
    status: string;
    posted: string;
  }>(sql`
    SELECT g.id, g.cost::text, h.idempotency_key AS key, h.status, h.posted_amount::text AS posted
      FROM generations g JOIN ledger_holds h ON h.id = g.hold_id
     WHERE g.user_id = ${userId}`);
  return result.rows;
}

describe('holds placed ahead', () => {
  it("hold a key's steady requests, each posted once for exactly the cost it reported", async () => {
    const { userId, key } = await gateway.fundedUser(CREDIT);
    const costs = await tenRequests(gateway, key);
    const byId = new Map((await holdsOf(gateway, userId)).map((row) => [row.id, row]));
    const rows = [...costs.keys()].map((id) => byId.get(id)!);
    expect(byId.size).toBe(10);
    // The first two requests place their own; the pool starts with the second, and the requests
    // after it find holds ready (a slow machine may make one of them place its own).
    expect(rows.slice(0, 2).every((row) => row.key === row.id)).toBe(true);
    expect(rows.slice(2).filter((row) => row.key.startsWith('pool_')).length).toBeGreaterThanOrEqual(6);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'posted', posted: row.cost });
      expect(BigInt(row.cost)).toBe(costs.get(row.id));
    }
    const spent = [...costs.values()].reduce((sum, cost) => sum + cost, 0n);

    // Not released by the test: the pool gives its holds back once the key has been idle.
    let balance = await readBalance(gateway.ctx.db, { userId });
    expect(balance.held).toBeGreaterThan(0n);
    for (let waited = 0; balance.held > 0n && waited < 10_000; waited += 250) {
      await sleep(250);
      balance = await readBalance(gateway.ctx.db, { userId });
    }
    expect(balance).toMatchObject({ balance: CREDIT - spent, held: 0n, available: CREDIT - spent });
  });

  it('with GATEWAY_HOLDS_AHEAD=0, hold every request on its own', async () => {
    const { userId, key } = await onDemand.fundedUser(CREDIT);
    await tenRequests(onDemand, key);
    const rows = await holdsOf(onDemand, userId);
    expect(rows).toHaveLength(10);
    expect(rows.every((row) => row.key === row.id)).toBe(true);
    expect(await readBalance(onDemand.ctx.db, { userId })).toMatchObject({ held: 0n });
  });
});
