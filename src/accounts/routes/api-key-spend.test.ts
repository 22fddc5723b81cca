import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, type SignedInUser, signUpAndLogIn } from '../../../test/test-app.js';
import { placeHold, postHold } from '../../ledger/holds.js';
import { creditManually } from '../../ledger/manual-adjustments.js';

const test = await createTestApp();
const db = test.ctx.db;
// A Saturday: the week began on Monday 2026-08-10, the month on 2026-08-01 (UTC).
test.clock.now = new Date('2026-08-15T09:30:00.000Z');

async function createKey(user: SignedInUser, payload: Record<string, string>): Promise<string> {
  const response = await test.app.inject({
    method: 'POST',
    url: '/api/keys',
    headers: user.headers,
    payload,
  });
  expect(response.statusCode).toBe(201);
  return (response.json() as { id: string }).id;
}

async function spend(user: SignedInUser, apiKeyId: string, amount: bigint, at: string, post = true) {
  const now = new Date(at);
  const placed = await placeHold(db, {
    wallet: { userId: user.userId },
    amount: 1_000_000n,
    idempotencyKey: randomUUID(),
    expiresAt: new Date(now.getTime() + 300_000),
    now,
    actor: 'system',
    model: 'gpt',
    apiKeyId,
  });
  if (post) await postHold(db, placed.holdId, amount, now);
}

async function listedSpent(user: SignedInUser): Promise<Record<string, string | null>> {
  const response = await test.app.inject({
    method: 'GET',
    url: '/api/keys',
    headers: { cookie: user.cookie },
  });
  expect(response.statusCode, response.body).toBe(200);
  const keys = (response.json() as { data: Array<{ id: string; spent: string | null }> }).data;
  return Object.fromEntries(keys.map((key) => [key.id, key.spent]));
}

describe('GET /api/keys', () => {
  it("gives each limited key's posted usage in its limit's current UTC period", async () => {
    const user = await signUpAndLogIn(test);
    await creditManually(db, {
      owner: { userId: user.userId },
      amount: 100_000_000n,
      reason: 'test credit',
      actor: { cli: true },
      now: new Date('2025-01-01T00:00:00Z'),
    });
    const daily = await createKey(user, { name: 'daily', spendLimit: '1', spendLimitPeriod: 'day' });
    const weekly = await createKey(user, { name: 'weekly', spendLimit: '5', spendLimitPeriod: 'week' });
    const monthly = await createKey(user, { name: 'monthly', spendLimit: '10', spendLimitPeriod: 'month' });
    const total = await createKey(user, { name: 'total', spendLimit: '20' });
    const unlimited = await createKey(user, { name: 'unlimited' });
    const unused = await createKey(user, { name: 'unused', spendLimit: '3', spendLimitPeriod: 'day' });

    await spend(user, daily, 100n, '2026-08-14T23:59:59.999Z');
    await spend(user, daily, 400n, '2026-08-15T00:00:00Z');
    await spend(user, weekly, 100n, '2026-08-09T23:59:59.999Z');
    await spend(user, weekly, 250n, '2026-08-10T00:00:00Z');
    await spend(user, monthly, 100n, '2026-07-31T23:59:59.999Z');
    await spend(user, monthly, 200n, '2026-08-01T00:00:00Z');
    await spend(user, monthly, 300n, '2026-08-15T09:00:00Z');
    // Still in flight: held, not spent.
    await spend(user, monthly, 0n, '2026-08-15T09:10:00Z', false);
    await spend(user, total, 100n, '2025-01-01T00:00:00Z');
    await spend(user, total, 100n, '2026-08-15T09:00:00Z');
    await spend(user, unlimited, 100n, '2026-08-15T09:00:00Z');

    expect(await listedSpent(user)).toEqual({
      [daily]: '0.000400',
      [weekly]: '0.000250',
      [monthly]: '0.000500',
      [total]: '0.000200',
      [unlimited]: null,
      [unused]: '0.000000',
    });

    // A new day starts the daily key again.
    test.clock.now = new Date('2026-08-16T00:00:00.000Z');
    expect((await listedSpent(user))[daily]).toBe('0.000000');
  });
});
