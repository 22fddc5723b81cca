import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import * as schema from '../db/schema/index.js';
import { placeHold, placeHolds, settleHolds } from './holds.js';
import { fundedTestWallet } from './ledger-test-fixtures.js';

const database = await createTestDatabase();
const now = new Date('2026-11-23T12:00:00Z');

/**
 * The hot-path ledger functions keep the plans they make on a connection's first calls (migration
 * 0023). A new installation makes them on empty, never analysed tables, which the planner takes
 * for ten pages each: without sequential scans turned off in those functions, the settlement would
 * scan the holds and transfers tables on every call until autovacuum first analysed them. This
 * test plays a new installation's first calls on a new connection of a new database and reads
 * every plan they run (auto_explain, nested statements included).
 */
describe('the ledger functions on a new installation', () => {
  let client: pg.Client;
  const plans: string[] = [];

  beforeAll(async () => {
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    client.on('notice', (notice) => plans.push(notice.message ?? ''));
    await client.query(`LOAD 'auto_explain'`);
    await client.query(`SET auto_explain.log_min_duration = 0`);
    await client.query(`SET auto_explain.log_nested_statements = on`);
    await client.query(`SET auto_explain.log_level = 'notice'`);
    await client.query(`SET client_min_messages = 'notice'`);
  });
  afterAll(async () => {
    await client?.end();
  });

  it('places and settles holds by index probes, without scanning the ledger tables', async () => {
    const { userId } = await fundedTestWallet(database.db, 10_000_000n, now);
    const db = drizzle(client, { schema });
    const hold = (key: string) => ({
      wallet: { userId },
      amount: 1_000n,
      idempotencyKey: key,
      expiresAt: new Date(now.getTime() + 60_000),
      now,
      actor: 'system',
    });
    const single = await placeHold(db, hold('plans-single'));
    const batch = await placeHolds(db, [hold('plans-a'), hold('plans-b'), hold('plans-c')]);
    const batchIds = batch.map((result) => {
      if (result.status !== 'fulfilled') throw result.reason;
      return result.value.holdId;
    });
    const posted = await settleHolds(
      db,
      'posted',
      [single.holdId, ...batchIds.slice(0, 2)].map((holdId) => ({ holdId, amount: 500n })),
      now,
    );
    const voided = await settleHolds(db, 'voided', [{ holdId: batchIds[2]! }], now);
    expect([...posted, ...voided].map((result) => result.outcome)).toEqual([
      'posted',
      'posted',
      'posted',
      'voided',
    ]);

    // The plans of the settlement's main statement and of the set-wise placement were read.
    expect(plans.some((plan) => plan.includes('Update on ledger_holds'))).toBe(true);
    expect(plans.some((plan) => plan.includes('Insert on ledger_holds'))).toBe(true);
    const scans = plans.flatMap(
      (plan) =>
        plan.match(/Seq Scan on (ledger_holds|ledger_transfers|ledger_accounts|ledger_spend_counters)\b/g) ??
        [],
    );
    expect(scans).toEqual([]);
  });
});
