import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { MixgateError } from '../lib/errors.js';
import { listSecurityEvents } from './list-security-events.js';
import { recordSecurityEvent } from './record-security-event.js';

const { db } = await createTestDatabase();
const ALICE = '4f0c2a9e-8d1b-4c3a-9e57-2b6d8f1a0c11';
const BOB = '9b2e6c4a-1f3d-4e8b-a7c5-0d9f2e4b6a81';

await recordSecurityEvent(db, { type: 'signed_up', userId: ALICE, ip: '192.0.2.1', userAgent: 'Firefox' });
await recordSecurityEvent(db, { type: 'signed_up', userId: BOB });
await recordSecurityEvent(db, { type: 'sign_in_succeeded', userId: ALICE, details: { method: 'password' } });
await recordSecurityEvent(db, { type: 'sign_in_failed', userId: ALICE });
await recordSecurityEvent(db, {
  type: 'role_changed',
  userId: BOB,
  actorId: ALICE,
  details: { role: 'staff' },
});
await recordSecurityEvent(db, { type: 'sign_in_succeeded', userId: ALICE });

describe('listSecurityEvents', () => {
  it("lists one user's events newest first with ids as strings", async () => {
    const events = await listSecurityEvents(db, { userId: ALICE, limit: 50 });
    expect(events.map((event) => [event.id, event.type])).toEqual([
      ['6', 'sign_in_succeeded'],
      ['4', 'sign_in_failed'],
      ['3', 'sign_in_succeeded'],
      ['1', 'signed_up'],
    ]);
    expect(events[3]).toEqual({
      id: '1',
      occurredAt: expect.any(Date),
      type: 'signed_up',
      userId: ALICE,
      actorId: null,
      ip: '192.0.2.1',
      userAgent: 'Firefox',
      details: {},
    });
  });

  it('filters by type across users', async () => {
    const events = await listSecurityEvents(db, { type: 'signed_up', limit: 50 });
    expect(events.map((event) => event.userId)).toEqual([BOB, ALICE]);
  });

  it('pages with limit and beforeId', async () => {
    const first = await listSecurityEvents(db, { limit: 2 });
    expect(first.map((event) => event.id)).toEqual(['6', '5']);
    const second = await listSecurityEvents(db, { limit: 2, beforeId: first.at(-1)?.id });
    expect(second.map((event) => event.id)).toEqual(['4', '3']);
    const mine = await listSecurityEvents(db, { userId: ALICE, limit: 2, beforeId: '3' });
    expect(mine.map((event) => event.id)).toEqual(['1']);
  });

  it.each([
    { limit: 0 },
    { limit: 201 },
    { limit: 1.5 },
    { limit: 10, beforeId: 'abc' },
    { limit: 10, beforeId: '0' },
    { limit: 10, beforeId: '9223372036854775808' },
  ])('refuses %o as an invalid request', async (options) => {
    await expect(listSecurityEvents(db, options)).rejects.toSatisfy(
      (error) => error instanceof MixgateError && error.code === 'invalid_request',
    );
  });
});
