import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import type { Database } from '../db/database.js';
import { securityEvents } from '../db/schema/index.js';
import { recordSecurityEvent } from './record-security-event.js';
import { GENESIS_HASH, hashSecurityEvent } from './security-event-hash.js';
import { verifySecurityLog } from './verify-security-log.js';

// Each scenario tampers with its own database, so none depends on another's damage.
const empty = await createTestDatabase();
const altered = await createTestDatabase();
const rehashed = await createTestDatabase();
const deletedMiddle = await createTestDatabase();
const deletedFirst = await createTestDatabase();
const large = await createTestDatabase();
const guarded = await createTestDatabase();

async function seed(database: Database, total: number): Promise<void> {
  for (let index = 0; index < total; index++) {
    await recordSecurityEvent(database.db, {
      type: index % 2 === 0 ? 'sign_in_failed' : 'sign_in_succeeded',
      userId: '4f0c2a9e-8d1b-4c3a-9e57-2b6d8f1a0c11',
      ip: `192.0.2.${index % 250}`,
      details: { attempt: index },
    });
  }
}

/** Writes a valid chain directly, in a few statements, for the test that needs thousands of rows. */
async function seedInBulk(database: Database, total: number): Promise<void> {
  let previousHash = GENESIS_HASH;
  const rows: (typeof securityEvents.$inferInsert)[] = [];
  for (let index = 0; index < total; index++) {
    const content = {
      occurredAt: new Date(Date.UTC(2025, 0, 1) + index * 1_000),
      type: 'sign_in_failed',
      userId: null,
      actorId: null,
      ip: '192.0.2.1',
      userAgent: null,
      details: { attempt: index },
    };
    const hash = hashSecurityEvent(previousHash, content);
    rows.push({ ...content, previousHash, hash });
    previousHash = hash;
  }
  for (let start = 0; start < total; start += 500) {
    await database.db.insert(securityEvents).values(rows.slice(start, start + 500));
  }
}

/** Tampering "by hand": the only way past the append-only trigger is to disable it. */
async function withTriggerDisabled(
  database: Database,
  statement: string,
  values: unknown[] = [],
): Promise<void> {
  await database.pool.query('ALTER TABLE security_events DISABLE TRIGGER USER');
  try {
    await database.pool.query(statement, values);
  } finally {
    await database.pool.query('ALTER TABLE security_events ENABLE TRIGGER USER');
  }
}

await seed(guarded, 2);

describe('verifySecurityLog', () => {
  it('accepts an empty log', async () => {
    expect(await verifySecurityLog(empty.db)).toEqual({ ok: true, checked: 0, redacted: 0 });
  });

  it('names the row whose details were altered', async () => {
    await seed(altered, 10);
    expect(await verifySecurityLog(altered.db)).toEqual({ ok: true, checked: 10, redacted: 0 });
    await withTriggerDisabled(altered, `UPDATE security_events SET details = '{"attempt": 99}' WHERE id = 4`);
    expect(await verifySecurityLog(altered.db)).toEqual({
      ok: false,
      checked: 3,
      redacted: 0,
      firstBadId: '4',
      reason: expect.stringMatching(/hash does not match/),
    });
  });

  it('names the next row when an altered row was also given a fresh hash', async () => {
    await seed(rehashed, 10);
    const { rows } = await rehashed.pool.query<{ previous_hash: string; occurred_at: Date }>(
      'SELECT previous_hash, occurred_at FROM security_events WHERE id = 6',
    );
    const original = rows[0]!;
    const forged = {
      occurredAt: original.occurred_at,
      type: 'sign_in_succeeded',
      userId: '4f0c2a9e-8d1b-4c3a-9e57-2b6d8f1a0c11',
      actorId: null,
      ip: '192.0.2.5',
      userAgent: null,
      details: { attempt: 500 },
    };
    await withTriggerDisabled(rehashed, 'UPDATE security_events SET details = $1, hash = $2 WHERE id = 6', [
      JSON.stringify(forged.details),
      hashSecurityEvent(original.previous_hash, forged),
    ]);
    expect(await verifySecurityLog(rehashed.db)).toMatchObject({
      ok: false,
      checked: 6,
      redacted: 0,
      firstBadId: '7',
      reason: expect.stringMatching(/previous_hash/),
    });
  });

  it('names the row after one that was deleted', async () => {
    await seed(deletedMiddle, 10);
    await withTriggerDisabled(deletedMiddle, 'DELETE FROM security_events WHERE id = 5');
    expect(await verifySecurityLog(deletedMiddle.db)).toEqual({
      ok: false,
      checked: 4,
      redacted: 0,
      firstBadId: '6',
      reason: expect.stringMatching(/previous_hash/),
    });
  });

  it('notices that the first row was deleted', async () => {
    await seed(deletedFirst, 3);
    await withTriggerDisabled(deletedFirst, 'DELETE FROM security_events WHERE id = 1');
    expect(await verifySecurityLog(deletedFirst.db)).toMatchObject({
      ok: false,
      checked: 0,
      redacted: 0,
      firstBadId: '2',
    });
  });

  it('follows the chain across batches and finds damage past the first batch', async () => {
    await seedInBulk(large, 2_100);
    expect(await verifySecurityLog(large.db)).toEqual({ ok: true, checked: 2_100, redacted: 0 });
    await withTriggerDisabled(large, 'DELETE FROM security_events WHERE id = 1001');
    expect(await verifySecurityLog(large.db)).toMatchObject({
      ok: false,
      checked: 1_000,
      redacted: 0,
      firstBadId: '1002',
    });
  });
});

describe('security_events append-only trigger', () => {
  it.each([
    ['UPDATE', `UPDATE security_events SET details = '{}'`],
    ['DELETE', 'DELETE FROM security_events'],
    ['TRUNCATE', 'TRUNCATE security_events'],
  ])('refuses %s', async (_, statement) => {
    await expect(guarded.pool.query(statement)).rejects.toThrow(/append-only/);
    expect(await verifySecurityLog(guarded.db)).toEqual({ ok: true, checked: 2, redacted: 0 });
  });
});
