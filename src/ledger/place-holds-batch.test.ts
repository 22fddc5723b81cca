import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { checkLedger } from './check-ledger.js';
import { type HoldInput, placeHold, placeHolds } from './holds.js';
import { fundedTestWallet } from './ledger-test-fixtures.js';
import { readBalance } from './read-balance.js';

const database = await createTestDatabase();
const db = database.db;
const now = new Date('2026-11-23T12:00:00Z');
const WALLETS = 3;

/** One item of a generated batch, in terms that twin sets of wallets can both be given. */
interface ItemSpec {
  wallet: number;
  amount: bigint;
  /** Keys come from a small pool, so that batches repeat keys, within a wallet and across. */
  key: number;
  /** A key limit (micros per day) on the item's API key, shared by the items of its wallet. */
  keyLimit: bigint | null;
}

const itemSpec: fc.Arbitrary<ItemSpec> = fc.record({
  wallet: fc.integer({ min: 0, max: WALLETS - 1 }),
  amount: fc.oneof(
    { weight: 6, arbitrary: fc.bigInt({ min: 1n, max: 2_000_000n }) },
    { weight: 1, arbitrary: fc.constant(5_000_000n) },
  ),
  key: fc.integer({ min: 0, max: 11 }),
  keyLimit: fc.oneof(
    { weight: 4, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.bigInt({ min: 1_000_000n, max: 4_000_000n }) },
  ),
});

const batchSpec = fc.record({
  funding: fc.array(fc.bigInt({ min: 0n, max: 6_000_000n }), { minLength: WALLETS, maxLength: WALLETS }),
  /** Keys placed before the batch, on wallet 0: the batch's items with them replay or conflict. */
  before: fc.array(fc.integer({ min: 0, max: 11 }), { maxLength: 2 }),
  items: fc.array(itemSpec, { minLength: 1, maxLength: 12 }),
});

type Batch = typeof batchSpec extends fc.Arbitrary<infer T> ? T : never;

/** What a caller sees of one placement, without the hold ids that differ between twins. */
function observed(result: PromiseSettledResult<{ replayed: boolean; available?: bigint }>) {
  if (result.status === 'fulfilled') {
    return { placed: true, replayed: result.value.replayed, available: result.value.available };
  }
  const reason = result.reason as Error & Record<string, unknown>;
  return {
    placed: false,
    error: reason.constructor.name,
    code: reason.code,
    needed: reason.needed,
    available: reason.available,
    remaining: reason.remaining,
    scope: reason.scope,
  };
}

/** Wallets funded as the batch says, and the batch's items as holds on them. */
async function twin(batch: Batch) {
  const wallets: Array<{ userId: string }> = [];
  for (const funding of batch.funding) wallets.push(await fundedTestWallet(db, funding));
  const apiKeys = wallets.map(() => randomUUID());
  const prefix = randomUUID();
  const input = (wallet: number, key: number, amount: bigint, keyLimit: bigint | null): HoldInput => ({
    wallet: { userId: wallets[wallet]!.userId },
    amount,
    idempotencyKey: `${prefix}-${key}`,
    expiresAt: new Date(now.getTime() + 60_000),
    now,
    actor: 'system',
    apiKeyId: apiKeys[wallet],
    keyLimit: keyLimit === null ? null : { limit: keyLimit, period: 'day' },
  });
  for (const key of batch.before) await placeHold(db, input(0, key, 1_000n, null)).catch(() => undefined);
  return {
    wallets,
    inputs: batch.items.map((item) => input(item.wallet, item.key, item.amount, item.keyLimit)),
  };
}

async function books(wallets: ReadonlyArray<{ userId: string }>) {
  return Promise.all(
    wallets.map(async ({ userId }) => {
      const { balance, held } = await readBalance(db, { userId });
      const open = await db.execute<{ count: number; amounts: string }>(sql`
        SELECT count(*)::int AS count, coalesce(string_agg(h.amount::text, ',' ORDER BY h.amount), '') AS amounts
          FROM ledger_holds h JOIN ledger_accounts a ON a.id = h.account_id
         WHERE a.user_id = ${userId} AND h.status = 'open'`);
      return { balance, held, ...open.rows[0] };
    }),
  );
}

describe('placing holds in one batch', () => {
  it('gives each hold exactly the outcome it gets placed one by one, in wallet order', async () => {
    await fc.assert(
      fc.asyncProperty(batchSpec, async (batch) => {
        const together = await twin(batch);
        const alone = await twin(batch);

        const batched = await placeHolds(db, together.inputs);
        // One by one, in the order a batch places its items: by wallet (account id), then as given.
        const order = alone.inputs
          .map((input, index) => ({ input, index, wallet: batch.items[index]!.wallet }))
          .sort((a, b) => a.wallet - b.wallet || a.index - b.index);
        const single: PromiseSettledResult<{ replayed: boolean; available?: bigint }>[] = [];
        for (const { input, index } of order) {
          single[index] = await placeHold(db, input).then(
            (value) => ({ status: 'fulfilled' as const, value }),
            (reason: unknown) => ({ status: 'rejected' as const, reason }),
          );
        }

        expect(batched.map(observed)).toEqual(single.map(observed));
        // Within a wallet, new holds get their ids in the order the items came, as one by one.
        for (let wallet = 0; wallet < WALLETS; wallet++) {
          const ids = batched.flatMap((result, index) =>
            batch.items[index]!.wallet === wallet && result.status === 'fulfilled' && !result.value.replayed
              ? [result.value.holdId]
              : [],
          );
          expect(ids).toEqual([...ids].sort((a, b) => a - b));
        }
        expect(await books(together.wallets)).toEqual(await books(alone.wallets));
      }),
      { numRuns: 40 },
    );
    expect((await checkLedger(db)).problems).toEqual([]);
  });
});
