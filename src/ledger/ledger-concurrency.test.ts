import { randomUUID } from 'node:crypto';
import { drizzle } from 'drizzle-orm/node-postgres';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import type { Db } from '../db/database.js';
import * as schema from '../db/schema/index.js';
import { MixgateError } from '../lib/errors.js';
import { expireHolds } from './expire-holds.js';
import { type HoldInput, placeHold, postHold, settleHolds, voidHold } from './holds.js';
import { InsufficientCreditError, SpendLimitError } from './ledger-errors.js';
import { fundedTestWallet, insertLedgerTestOrganisation } from './ledger-test-fixtures.js';
import { readBalance } from './read-balance.js';
import { SYSTEM_ACCOUNTS, type WalletOwner } from './system-accounts.js';
import { type TransferInput, transfer } from './transfer.js';
import { ensureWallet } from './wallets.js';

/**
 * The ledger under real concurrency: requests on many PostgreSQL connections at once, racing for
 * the same wallet, the same spend limit, the same idempotency key and the same hold.
 */

const CONNECTIONS = 50;
const database = await createTestDatabase();
/** The test file's own small pool, for setting up and reading back. */
const db = database.db;
const pool = new pg.Pool({ connectionString: database.url, max: CONNECTIONS });
pool.on('error', () => {});
/** Every concurrent request goes through this one. */
const many: Db = drizzle(pool, { schema });
const now = new Date('2027-05-10T12:00:00Z');
const later = new Date(now.getTime() + 60_000);

beforeAll(async () => {
  // Open every connection up front, so the requests below really run side by side.
  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => pool.connect()));
  for (const client of clients) client.release();
});
afterAll(() => pool.end());

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

async function settle<T>(promises: Promise<T>[]): Promise<Settled<T>[]> {
  const results = await Promise.allSettled(promises);
  return results.map((result) =>
    result.status === 'fulfilled' ? { ok: true, value: result.value } : { ok: false, error: result.reason },
  );
}

function errorsOf<T>(results: Settled<T>[]): unknown[] {
  return results.flatMap((result) => (result.ok ? [] : [result.error]));
}

/** A wallet's balance as the sum of every transfer into it minus every transfer out of it. */
async function sumOfTransfers(accountId: number): Promise<bigint> {
  const result = await database.pool.query<{ net: string }>(
    `SELECT (SELECT coalesce(sum(amount), 0) FROM ledger_transfers WHERE credit_account_id = $1)
          - (SELECT coalesce(sum(amount), 0) FROM ledger_transfers WHERE debit_account_id = $1) AS net`,
    [accountId],
  );
  return BigInt(result.rows[0]!.net);
}

async function sumOfAllBalances(): Promise<bigint> {
  const result = await database.pool.query<{ total: string }>(
    'SELECT sum(balance) AS total FROM ledger_accounts',
  );
  return BigInt(result.rows[0]!.total);
}

async function systemBalance(id: number): Promise<bigint> {
  const result = await database.pool.query<{ balance: string }>(
    'SELECT balance FROM ledger_accounts WHERE id = $1',
    [id],
  );
  return BigInt(result.rows[0]!.balance);
}

/** Waits until `count` backends of this database are queued on a lock. */
async function waitForLockWaiters(count: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const waiting = await database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (waiting.rows[0]!.n >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`fewer than ${count} requests ever waited for a lock`);
}

/**
 * Holds a lock on a wallet's account row until `release()`, so that concurrent requests all get past
 * their idempotency look-up and then queue on the wallet: the widest possible race.
 */
async function lockWallet(accountId: number): Promise<{ release(): Promise<void> }> {
  const client = await database.pool.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM ledger_accounts WHERE id = $1 FOR UPDATE', [accountId]);
  return {
    async release() {
      await client.query('COMMIT');
      client.release();
    },
  };
}

/** The PostgreSQL error code of a failed query, also when drizzle wrapped the error. */
function postgresCode(error: unknown): string | undefined {
  const { code, cause } = error as { code?: unknown; cause?: { code?: unknown } };
  if (typeof code === 'string') return code;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

const holdBase = (owner: WalletOwner, amount: bigint) => ({
  wallet: owner,
  amount,
  expiresAt: later,
  now,
  actor: 'system',
});

describe('concurrent holds on one wallet', () => {
  it('admits exactly the holds the credit covers, then posts them all to the micro', async () => {
    const amount = 1_000_000n;
    const funded = 50n * amount;
    const { userId, walletId } = await fundedTestWallet(db, funded, now);
    const revenueBefore = await systemBalance(SYSTEM_ACCOUNTS.revenue);

    const attempts = await settle(
      Array.from({ length: 200 }, (_, index) =>
        placeHold(many, { ...holdBase({ userId }, amount), idempotencyKey: `worst-${userId}-${index}` }),
      ),
    );
    const placed = attempts.flatMap((result) => (result.ok ? [result.value] : []));
    const refused = errorsOf(attempts);
    expect(placed).toHaveLength(50);
    expect(refused).toHaveLength(150);
    for (const error of refused) {
      expect(error).toBeInstanceOf(InsufficientCreditError);
      expect(error).toMatchObject({ needed: amount, available: 0n });
    }
    expect(new Set(placed.map((hold) => hold.available))).toEqual(
      new Set(Array.from({ length: 50 }, (_, index) => BigInt(index) * amount)),
    );
    expect(await readBalance(db, { userId })).toEqual({
      balance: funded,
      held: funded,
      available: 0n,
      openHolds: 50,
    });

    const actual = fc.sample(fc.bigInt({ min: 0n, max: amount }), 50);
    const posts = await settle(placed.map((hold, index) => postHold(many, hold.holdId, actual[index]!, now)));
    expect(errorsOf(posts)).toEqual([]);
    const posted = actual.reduce((sum, value) => sum + value, 0n);
    const balance = await readBalance(db, { userId });
    expect(balance).toEqual({ balance: funded - posted, held: 0n, available: funded - posted, openHolds: 0 });
    expect(await sumOfTransfers(walletId)).toBe(funded - posted);
    expect(await systemBalance(SYSTEM_ACCOUNTS.revenue)).toBe(revenueBefore + posted);
    expect(await sumOfAllBalances()).toBe(0n);
  });

  it.each(['api_key', 'member'] as const)(
    'admits exactly the holds a %s spend limit allows',
    async (scope) => {
      const amount = 250_000n;
      const allowed = 20n;
      const limit = { limit: allowed * amount, period: 'month' as const };
      const user = await fundedTestWallet(db, 1_000n * amount, now);
      const organisationId = await insertLedgerTestOrganisation(db, user.userId);
      const organisationWallet = await ensureWallet(db, { organisationId });
      await transfer(db, {
        debitAccountId: SYSTEM_ACCOUNTS.payments_clearing,
        creditAccountId: organisationWallet,
        amount: 1_000n * amount,
        kind: 'top_up',
        idempotencyKey: `fund-${organisationId}`,
        actor: 'system',
        now,
      });
      const apiKeyId = randomUUID();
      const attempt = (index: number): HoldInput => {
        const base = {
          ...holdBase({ organisationId }, amount),
          idempotencyKey: `limit-${apiKeyId}-${index}`,
        };
        if (scope === 'member') return { ...base, memberUserId: user.userId, memberLimit: limit };
        // One key spending from two wallets: only the key's counter serialises these.
        const wallet = index % 2 === 0 ? { userId: user.userId } : { organisationId };
        return { ...base, wallet, apiKeyId, keyLimit: limit };
      };
      const attempts = await settle(
        Array.from({ length: 100 }, (_, index) => placeHold(many, attempt(index))),
      );
      const placed = attempts.flatMap((result) => (result.ok ? [result.value] : []));
      expect(placed).toHaveLength(Number(allowed));
      for (const error of errorsOf(attempts)) {
        expect(error).toBeInstanceOf(SpendLimitError);
        expect(error).toMatchObject({ scope, remaining: 0n });
      }
      const counter = await database.pool.query<{ spent: string; held: string }>(
        'SELECT spent, held FROM ledger_spend_counters WHERE scope = $1',
        [scope === 'api_key' ? `api_key:${apiKeyId}` : `member:${organisationId}:${user.userId}`],
      );
      expect(counter.rows).toEqual([{ spent: '0', held: String(allowed * amount) }]);

      // Half posted for 100 micros, half voided, all at once: the counter keeps exactly what was spent.
      const settlements = await settle(
        placed.map((hold, index) =>
          index % 2 ? postHold(many, hold.holdId, 100n, now) : voidHold(many, hold.holdId, now),
        ),
      );
      expect(errorsOf(settlements)).toEqual([]);
      const after = await database.pool.query<{ spent: string; held: string }>(
        'SELECT spent, held FROM ledger_spend_counters WHERE scope = $1',
        [scope === 'api_key' ? `api_key:${apiKeyId}` : `member:${organisationId}:${user.userId}`],
      );
      expect(after.rows).toEqual([{ spent: String((allowed / 2n) * 100n), held: '0' }]);
    },
  );
});

describe('concurrent replays', () => {
  it('answers every replay of one idempotency key with the same hold, reserved once', async () => {
    const amount = 400_000n;
    const { userId, walletId } = await fundedTestWallet(db, 100n * amount, now);
    const input = { ...holdBase({ userId }, amount), idempotencyKey: `replay-${userId}` };
    const lock = await lockWallet(walletId);
    const requests = settle(Array.from({ length: 40 }, () => placeHold(many, input)));
    await waitForLockWaiters(40);
    await lock.release();
    const answers = await requests;
    expect(errorsOf(answers)).toEqual([]);
    const holds = answers.flatMap((result) => (result.ok ? [result.value] : []));
    expect(new Set(holds.map((hold) => hold.holdId)).size).toBe(1);
    expect(holds.filter((hold) => !hold.replayed)).toHaveLength(1);
    expect(await readBalance(db, { userId })).toMatchObject({ held: amount, openHolds: 1 });
  });

  // BUG (reported): the replay check runs before the wallet lock, and after it the wallet is checked
  // for credit before the key. A concurrent replay that queued on the wallet while the first request
  // reserved the credit is refused for insufficient credit (402) instead of answered with the hold.
  it('answers concurrent replays with the hold even when it took all the credit', async () => {
    const amount = 400_000n;
    const { userId, walletId } = await fundedTestWallet(db, amount, now);
    const input = { ...holdBase({ userId }, amount), idempotencyKey: `replay-all-${userId}` };
    const lock = await lockWallet(walletId);
    const requests = settle(Array.from({ length: 10 }, () => placeHold(many, input)));
    await waitForLockWaiters(10);
    await lock.release();
    const answers = await requests;
    expect(errorsOf(answers)).toEqual([]);
    expect(new Set(answers.map((answer) => answer.ok && answer.value.holdId)).size).toBe(1);
  });

  // BUG (reported): the same ordering in ledger_transfer: a concurrent replay of a debit that used
  // the whole available balance is refused with 402 instead of answered with the transfer.
  it('answers concurrent replays of a debit with the transfer even when it took all the credit', async () => {
    const amount = 700_000n;
    const { walletId } = await fundedTestWallet(db, amount, now);
    const input: TransferInput = {
      debitAccountId: walletId,
      creditAccountId: SYSTEM_ACCOUNTS.manual_adjustments,
      amount,
      kind: 'manual_debit',
      idempotencyKey: `debit-all-${walletId}`,
      actor: 'cli',
      reason: 'concurrency test',
      now,
    };
    const lock = await lockWallet(walletId);
    const requests = settle(Array.from({ length: 10 }, () => transfer(many, input)));
    await waitForLockWaiters(10);
    await lock.release();
    const answers = await requests;
    expect(errorsOf(answers)).toEqual([]);
    expect(new Set(answers.map((answer) => answer.ok && answer.value.transferId)).size).toBe(1);
  });
});

describe('concurrent settlement of one hold', () => {
  it('lets exactly one of a post, a void and the expiry job settle each hold', async () => {
    const amount = 300_000n;
    const count = 40;
    const { userId, walletId } = await fundedTestWallet(db, BigInt(count) * amount, now);
    const holds = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        placeHold(db, {
          ...holdBase({ userId }, amount),
          idempotencyKey: `race-${userId}-${index}`,
          expiresAt: now,
        }),
      ),
    );
    const captures = fc.sample(fc.bigInt({ min: 0n, max: amount }), count);
    const posts = holds.map((hold, index) => postHold(many, hold.holdId, captures[index]!, now));
    const voids = holds.map((hold) => voidHold(many, hold.holdId, now));
    const [postResults, voidResults, expired] = await Promise.all([
      settle(posts),
      settle(voids),
      expireHolds(many, now),
    ]);
    const statuses = await database.pool.query<{ id: string; status: string }>(
      'SELECT id, status FROM ledger_holds WHERE account_id = $1',
      [walletId],
    );
    const statusOf = new Map(statuses.rows.map((row) => [Number(row.id), row.status]));
    let posted = 0n;
    holds.forEach((hold, index) => {
      const status = statusOf.get(hold.holdId);
      const postWon = postResults[index]!.ok;
      const voidWon = voidResults[index]!.ok;
      expect({ hold: hold.holdId, status, postWon, voidWon }).toEqual({
        hold: hold.holdId,
        status,
        postWon: status === 'posted',
        voidWon: status === 'voided',
      });
      for (const loser of [postResults[index]!, voidResults[index]!]) {
        if (!loser.ok) expect(loser.error).toMatchObject({ status: 409 });
      }
      if (status === 'posted') posted += captures[index]!;
    });
    expect(expired).toBe([...statusOf.values()].filter((status) => status === 'expired').length);
    const funded = BigInt(count) * amount;
    expect(await readBalance(db, { userId })).toEqual({
      balance: funded - posted,
      held: 0n,
      available: funded - posted,
      openHolds: 0,
    });
    expect(await sumOfTransfers(walletId)).toBe(funded - posted);
  });
});

describe('lock order', () => {
  // ledger_settle_holds locks the revenue account before the wallet, while ledger_place_hold locks
  // the wallet and then, through the foreign-key check of its INSERT into ledger_holds, takes FOR
  // KEY SHARE on the revenue account. With FOR UPDATE row locks the two deadlocked (40P01); FOR NO
  // KEY UPDATE does not conflict with KEY SHARE. This pins the interleaving that deadlocked.
  it('never deadlocks a hold against a settlement on the same wallet', async () => {
    const amount = 100_000n;
    const { userId } = await fundedTestWallet(db, 10n * amount, now);
    const other = await fundedTestWallet(db, 10n * amount, now);
    const open = await placeHold(db, {
      ...holdBase({ userId }, amount),
      idempotencyKey: `lock-open-${userId}`,
    });
    const key = `lock-order-${userId}`;
    // A request on another wallet is inserting a hold with the same key, so the next hold on this
    // wallet pauses after locking the wallet and before the foreign-key checks of its INSERT.
    const client = await database.pool.connect();
    await client.query('BEGIN');
    await placeHold(drizzle(client, { schema }), {
      ...holdBase({ userId: other.userId }, amount),
      idempotencyKey: key,
      creditAccountId: SYSTEM_ACCOUNTS.promotions,
    });
    const hold = settle([placeHold(many, { ...holdBase({ userId }, amount), idempotencyKey: key })]);
    await waitForLockWaiters(1);
    // The settlement locks the revenue account, then queues for the wallet.
    const post = settle([postHold(many, open.holdId, amount, now)]);
    await waitForLockWaiters(2);
    await client.query('ROLLBACK');
    client.release();
    const results = [...(await hold), ...(await post)];
    expect(
      results.map((result) => (result.ok ? 'ok' : (postgresCode(result.error) ?? result.error))),
    ).toEqual(['ok', 'ok']);
  });
});

describe('mixed concurrent traffic', () => {
  it('keeps every invariant and never deadlocks', async () => {
    const walletCount = 4;
    const wallets = await Promise.all(
      Array.from({ length: walletCount }, () => fundedTestWallet(db, 20_000_000n, now)),
    );
    const apiKeyIds = wallets.map(() => randomUUID());
    const expectedBalance = new Map(wallets.map((wallet) => [wallet.walletId, 20_000_000n]));
    const move = (debit: number, credit: number, amount: bigint) => {
      if (expectedBalance.has(debit)) expectedBalance.set(debit, expectedBalance.get(debit)! - amount);
      if (expectedBalance.has(credit)) expectedBalance.set(credit, expectedBalance.get(credit)! + amount);
    };
    const unexpected: unknown[] = [];
    /** Refusals are the ledger doing its job; anything else (a deadlock, a check violation) is a bug. */
    const expectedRefusal = (error: unknown) =>
      error instanceof InsufficientCreditError ||
      error instanceof SpendLimitError ||
      (error instanceof MixgateError && error.status === 409);
    const guard = async (work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        if (!expectedRefusal(error)) unexpected.push(error);
      }
    };
    const random = fc.sample(
      fc.record({
        kind: fc.constantFrom(
          'generation',
          'generation',
          'generation',
          'batch',
          'top-up',
          'debit',
          'move',
          'expire',
        ),
        wallets: fc.array(fc.nat({ max: walletCount - 1 }), { minLength: 3, maxLength: 3 }),
        amounts: fc.array(fc.bigInt({ min: 1n, max: 3_000_000n }), { minLength: 3, maxLength: 3 }),
        ttlMs: fc.integer({ min: 0, max: 2_000 }),
        keyLimit: fc.boolean(),
        post: fc.boolean(),
      }),
      600,
    );
    const hold = (index: number, slot: number) => {
      const { walletId, userId } = wallets[random[index]!.wallets[slot]!]!;
      const { amounts, ttlMs, keyLimit } = random[index]!;
      return placeHold(many, {
        wallet: { userId },
        amount: amounts[slot]!,
        idempotencyKey: `mixed-${index}-${slot}-${walletId}`,
        expiresAt: new Date(now.getTime() + ttlMs),
        now,
        actor: 'system',
        apiKeyId: keyLimit ? apiKeyIds[random[index]!.wallets[slot]!] : null,
        keyLimit: keyLimit ? { limit: 30_000_000n, period: 'total' } : null,
      }).then((placed) => ({ ...placed, walletId, amount: amounts[slot]! }));
    };
    const requests = random.map((operation, index) =>
      guard(async () => {
        const [first, second] = operation.wallets.map((wallet) => wallets[wallet]!.walletId);
        const amount = operation.amounts[0]!;
        const transferInput = { reason: 'mixed', actor: 'system', now, idempotencyKey: `mixed-${index}` };
        switch (operation.kind) {
          case 'generation': {
            const placed = await hold(index, 0);
            const capture = operation.amounts[1]! % (placed.amount + 1n);
            if (operation.post) {
              await postHold(many, placed.holdId, capture, now);
              move(placed.walletId, SYSTEM_ACCOUNTS.revenue, capture);
            } else {
              await voidHold(many, placed.holdId, now);
            }
            return;
          }
          case 'batch': {
            const placed = (await settle([hold(index, 0), hold(index, 1), hold(index, 2)])).flatMap(
              (result) => (result.ok ? [result.value] : []),
            );
            // Holds of several wallets in no particular order: the function must lock them in order.
            const items = placed.reverse().map((item) => ({ holdId: item.holdId, amount: item.amount / 2n }));
            const results = await settleHolds(many, 'posted', items, now);
            for (const result of results) {
              const item = placed.find((candidate) => candidate.holdId === result.holdId)!;
              if (result.outcome === 'posted') move(item.walletId, SYSTEM_ACCOUNTS.revenue, item.amount / 2n);
              else if (result.outcome !== 'already_expired') unexpected.push(result);
            }
            return;
          }
          case 'top-up':
            await transfer(many, {
              ...transferInput,
              debitAccountId: SYSTEM_ACCOUNTS.payments_clearing,
              creditAccountId: first!,
              amount,
              kind: 'top_up',
            });
            return move(SYSTEM_ACCOUNTS.payments_clearing, first!, amount);
          case 'debit':
            await transfer(many, {
              ...transferInput,
              debitAccountId: first!,
              creditAccountId: SYSTEM_ACCOUNTS.manual_adjustments,
              amount,
              kind: 'manual_debit',
            });
            return move(first!, SYSTEM_ACCOUNTS.manual_adjustments, amount);
          case 'move':
            if (first === second) return;
            // Wallet to wallet: both rows locked, in either direction at once.
            await transfer(many, {
              ...transferInput,
              debitAccountId: first!,
              creditAccountId: second!,
              amount,
              kind: 'manual_credit',
            });
            return move(first!, second!, amount);
          case 'expire':
            await expireHolds(many, new Date(now.getTime() + 1_000));
            return;
        }
      }),
    );
    // Meanwhile every snapshot of the ledger must balance: each transaction moves both sides at once.
    let trafficDone = false;
    const unbalanced: string[] = [];
    const sampler = (async () => {
      while (!trafficDone) {
        const sample = await database.pool.query<{ total: string }>(
          'SELECT sum(balance) AS total FROM ledger_accounts',
        );
        if (sample.rows[0]!.total !== '0') unbalanced.push(sample.rows[0]!.total);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await Promise.all(requests);
    trafficDone = true;
    await sampler;
    expect(unbalanced).toEqual([]);
    expect(unexpected.map(postgresCode)).not.toContain('40P01');
    expect(unexpected).toEqual([]);

    // Whatever the job has not expired yet is still open: expire it all and check the end state.
    await expireHolds(db, new Date(now.getTime() + 60_000));
    expect(await sumOfAllBalances()).toBe(0n);
    for (const { userId, walletId } of wallets) {
      const balance = await readBalance(db, { userId });
      expect({ walletId, ...balance }).toEqual({
        walletId,
        balance: expectedBalance.get(walletId),
        held: 0n,
        available: expectedBalance.get(walletId),
        openHolds: 0,
      });
      expect(await sumOfTransfers(walletId)).toBe(expectedBalance.get(walletId));
    }
    const drift = await database.pool.query(
      `SELECT a.id FROM ledger_accounts a
        WHERE a.held <> (SELECT coalesce(sum(amount), 0) FROM ledger_holds h WHERE h.account_id = a.id AND h.status = 'open')
           OR (a.kind IN ('user_wallet', 'organisation_wallet') AND a.balance - a.held < 0)`,
    );
    expect(drift.rows).toEqual([]);
  }, 60_000);
});
