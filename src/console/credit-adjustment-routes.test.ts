import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApp, logInAs, type SignedInUser, signUpAndLogIn } from '../../test/test-app.js';
import { securityEvents } from '../db/schema/index.js';
import { readBalance } from '../ledger/read-balance.js';
import { createStaffUser } from './create-staff.js';
import type { StaffRole } from './staff-roles.js';

const test = await createTestApp();
const PASSWORD = 'correct horse battery staple';

async function staff(role: StaffRole): Promise<SignedInUser> {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.com`;
  await createStaffUser(test.ctx, { email, password: PASSWORD, role });
  return logInAs(test, email, PASSWORD);
}

function adjust(actor: SignedInUser | undefined, target: string, payload: Record<string, unknown>) {
  return test.app.inject({
    method: 'POST',
    url: `/api/console/users/${target}/credit-adjustments`,
    headers: actor?.headers ?? {},
    payload,
  });
}

async function adjustmentEvents(userId: string) {
  return test.ctx.db
    .select()
    .from(securityEvents)
    .where(and(eq(securityEvents.userId, userId), eq(securityEvents.type, 'credit_adjusted')));
}

describe('POST /api/console/users/:id/credit-adjustments', () => {
  it('lets billing credit and debit a user, answering with the transfer and the new balance', async () => {
    const billing = await staff('billing');
    const target = await signUpAndLogIn(test);

    const credited = await adjust(billing, target.userId, {
      direction: 'credit',
      amount: '12.50',
      reason: 'Goodwill for outage #42',
    });
    expect(credited.statusCode).toBe(201);
    expect(credited.json()).toEqual({
      transfer: {
        id: expect.any(Number),
        kind: 'manual_credit',
        direction: 'credit',
        amount: '12.500000',
        reason: 'Goodwill for outage #42',
        replayed: false,
      },
      balance: { balance: '12.500000', held: '0.000000', available: '12.500000' },
    });

    const debited = await adjust(billing, target.userId, {
      direction: 'debit',
      amount: '2.5',
      reason: 'Credit given twice',
    });
    expect(debited.statusCode).toBe(201);
    expect(debited.json()).toMatchObject({
      transfer: { kind: 'manual_debit', amount: '2.500000' },
      balance: { balance: '10.000000', available: '10.000000' },
    });

    const events = await adjustmentEvents(target.userId);
    expect(events.map((event) => [event.actorId, event.details])).toEqual([
      [
        billing.userId,
        {
          amount: '12.500000',
          direction: 'credit',
          reason: 'Goodwill for outage #42',
          transferId: (credited.json() as { transfer: { id: number } }).transfer.id,
          via: 'console',
        },
      ],
      [billing.userId, expect.objectContaining({ amount: '2.500000', direction: 'debit' })],
    ]);
  });

  it('makes a retried request with the same idempotency key only once', async () => {
    const admin = await staff('admin');
    const target = await signUpAndLogIn(test);
    const payload = { direction: 'credit', amount: '3', reason: 'Ticket 77', idempotencyKey: 'ticket-77' };
    const first = await adjust(admin, target.userId, payload);
    const again = await adjust(admin, target.userId, payload);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      transfer: { id: (first.json() as { transfer: { id: number } }).transfer.id, replayed: true },
      balance: { balance: '3.000000' },
    });
    expect(await adjustmentEvents(target.userId)).toHaveLength(1);
    const conflicting = await adjust(admin, target.userId, { ...payload, amount: '4' });
    expect(conflicting.statusCode).toBe(409);
    expect((await readBalance(test.ctx.db, { userId: target.userId })).balance).toBe(3_000_000n);
  });

  it('refuses a debit beyond the available balance with 402 and changes nothing', async () => {
    const admin = await staff('admin');
    const target = await signUpAndLogIn(test);
    await adjust(admin, target.userId, { direction: 'credit', amount: '1', reason: 'Start' });
    const refused = await adjust(admin, target.userId, {
      direction: 'debit',
      amount: '1.000001',
      reason: 'x',
    });
    expect(refused.statusCode).toBe(402);
    expect(refused.json()).toMatchObject({ error: { type: 'insufficient_credit' } });
    expect((await readBalance(test.ctx.db, { userId: target.userId })).balance).toBe(1_000_000n);
    expect(await adjustmentEvents(target.userId)).toHaveLength(1);
  });

  it('is for admin and billing only: support, privacy and members get 403, anonymous callers 401', async () => {
    const target = await signUpAndLogIn(test);
    const payload = { direction: 'credit', amount: '100', reason: 'Please' };
    for (const actor of [await staff('support'), await staff('privacy'), await signUpAndLogIn(test)]) {
      const response = await adjust(actor, target.userId, payload);
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: { type: 'forbidden' } });
    }
    expect((await adjust(undefined, target.userId, payload)).statusCode).toBe(401);
    expect((await readBalance(test.ctx.db, { userId: target.userId })).balance).toBe(0n);
  });

  it('does not let staff adjust their own credit, nor that of a user who does not exist', async () => {
    const billing = await staff('billing');
    const payload = { direction: 'credit', amount: '100', reason: 'For me' };
    expect((await adjust(billing, billing.userId, payload)).statusCode).toBe(403);
    expect((await readBalance(test.ctx.db, { userId: billing.userId })).balance).toBe(0n);
    expect((await adjust(billing, '00000000-0000-4000-8000-000000000000', payload)).statusCode).toBe(404);
  });

  it('validates the body', async () => {
    const admin = await staff('admin');
    const target = await signUpAndLogIn(test);
    const valid = { direction: 'credit', amount: '1', reason: 'ok' };
    for (const payload of [
      { ...valid, amount: '0' },
      { ...valid, amount: '-1' },
      { ...valid, amount: '1.0000001' },
      { ...valid, amount: 1 },
      { ...valid, reason: '  ' },
      { ...valid, reason: 'x'.repeat(501) },
      { ...valid, direction: 'refund' },
      { direction: 'credit', amount: '1' },
      { ...valid, extra: true },
    ]) {
      expect((await adjust(admin, target.userId, payload)).statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await adjust(admin, 'not-a-uuid', valid)).statusCode).toBe(400);
    expect((await readBalance(test.ctx.db, { userId: target.userId })).balance).toBe(0n);
  });
});
