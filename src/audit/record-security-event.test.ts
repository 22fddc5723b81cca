import { asc, count, desc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { securityEvents } from '../db/schema/index.js';
import { recordSecurityEvent } from './record-security-event.js';
import { GENESIS_HASH, hashSecurityEvent } from './security-event-hash.js';
import { verifySecurityLog } from './verify-security-log.js';

const database = await createTestDatabase();
const { db } = database;
const USER_ID = '4f0c2a9e-8d1b-4c3a-9e57-2b6d8f1a0c11';

async function rowCount(): Promise<number> {
  const [row] = await db.select({ value: count() }).from(securityEvents);
  return row?.value ?? 0;
}

describe('recordSecurityEvent', () => {
  it('chains the first row to 64 zeros and each later row to the one before', async () => {
    await recordSecurityEvent(db, { type: 'signed_up', userId: USER_ID, ip: '203.0.113.7' });
    await recordSecurityEvent(db, { type: 'email_verified', userId: USER_ID });
    const rows = await db.select().from(securityEvents).orderBy(asc(securityEvents.id));
    expect(rows.map((row) => row.type)).toEqual(['signed_up', 'email_verified']);
    expect(rows[0]?.previousHash).toBe(GENESIS_HASH);
    expect(rows[1]?.previousHash).toBe(rows[0]?.hash);
    for (const row of rows) expect(row.hash).toBe(hashSecurityEvent(row.previousHash, row));
    expect(rows[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps one chain through many events, 50 of them written concurrently', async () => {
    for (let index = 0; index < 20; index++) {
      await recordSecurityEvent(db, { type: 'sign_in_failed', details: { attempt: index } });
    }
    await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        recordSecurityEvent(db, { type: 'sign_in_succeeded', userId: USER_ID, details: { request: index } }),
      ),
    );
    await recordSecurityEvent(db, { type: 'sign_out', userId: USER_ID });
    const total = await rowCount();
    expect(total).toBeGreaterThanOrEqual(71);
    expect(await verifySecurityLog(db)).toEqual({ ok: true, checked: total, redacted: 0 });
  });

  it('stores values whose hash still verifies after PostgreSQL normalises them', async () => {
    await recordSecurityEvent(db, {
      type: 'role_changed',
      userId: USER_ID.toUpperCase(),
      actorId: '9B2E6C4A-1F3D-4E8B-A7C5-0D9F2E4B6A81',
      // Cut mid-emoji at the length limit, leaving half a surrogate pair.
      userAgent: `${'a'.repeat(511)}😀 and more`,
      occurredAt: new Date('2024-02-29T23:59:59.987Z'),
      details: {
        zebra: 1,
        alpha: { nested: [3, { b: 'ü', a: 1.5 }], when: new Date('2024-01-01T00:00:00Z') },
        dropped: undefined,
        big: 1e21,
        from: 'owner',
      },
    });
    const [row] = await db.select().from(securityEvents).orderBy(desc(securityEvents.id)).limit(1);
    expect(row?.userId).toBe(USER_ID);
    expect(row?.userAgent).toHaveLength(512);
    expect(row?.details).not.toHaveProperty('dropped');
    const total = await rowCount();
    expect(await verifySecurityLog(db)).toEqual({ ok: true, checked: total, redacted: 0 });
  });

  it('commits and rolls back with a transaction it is given', async () => {
    const before = await rowCount();
    await expect(
      db.transaction(async (tx) => {
        await recordSecurityEvent(tx, { type: 'password_changed', userId: USER_ID });
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await rowCount()).toBe(before);

    await db.transaction(async (tx) => {
      await recordSecurityEvent(tx, { type: 'password_changed', userId: USER_ID });
      await recordSecurityEvent(tx, { type: 'session_revoked', userId: USER_ID });
    });
    expect(await rowCount()).toBe(before + 2);
    expect(await verifySecurityLog(db)).toEqual({ ok: true, checked: before + 2, redacted: 0 });
  });

  it('refuses a transaction whose snapshot could miss the newest row', async () => {
    await expect(
      db.transaction((tx) => recordSecurityEvent(tx, { type: 'sign_out', userId: USER_ID }), {
        isolationLevel: 'repeatable read',
      }),
    ).rejects.toThrow(/READ COMMITTED/);
  });

  it.each([
    ['password', { password: 'hunter2' }],
    ['a nested refresh token', { session: { refreshToken: 'abc' } }],
    ['an api key inside an array', { keys: [{ apiKey: 'mg_live_x' }] }],
    ['a client secret', { clientSecret: 's' }],
    ['a prompt', { Prompt: 'hello' }],
  ])('refuses details holding %s and writes nothing', async (_, details) => {
    const before = await rowCount();
    await expect(
      recordSecurityEvent(db, { type: 'api_key_created', userId: USER_ID, details }),
    ).rejects.toThrow(/must not contain/);
    expect(await rowCount()).toBe(before);
  });

  it('allows keyId and keyPrefix, which name a key without revealing it', async () => {
    const before = await rowCount();
    await recordSecurityEvent(db, {
      type: 'api_key_created',
      userId: USER_ID,
      details: { keyId: '0b6f1c2e-0000-4000-8000-000000000001', keyPrefix: 'mg_live_ab12' },
    });
    expect(await rowCount()).toBe(before + 1);
  });

  it('refuses an id that is not a UUID', async () => {
    await expect(recordSecurityEvent(db, { type: 'sign_out', userId: 'user-1' })).rejects.toThrow(/UUID/);
  });
});
