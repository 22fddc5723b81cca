import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/test-app.js';
import { insertLedgerTestUser } from '../../ledger/ledger-test-fixtures.js';
import { ANONYMOUS_CONSENT_VALIDITY_DAYS, anonymousConsentRule } from './consent-retention.js';
import type { RetentionRule } from './retention-rules.js';
import { runRetention } from './run-retention.js';

const DAY = 86_400_000;
const test = await createTestApp({ RETENTION_TECHNICAL_LOGS_DAYS: '90' }, { webRoot: null });
const { pool } = test.ctx;

/** The rule alone, as the daily sweep runs it (other rules would act on these fixtures too). */
async function sweep(rule: RetentionRule): Promise<number> {
  return (await runRetention(test.ctx, [rule])).rules[0]!.affected;
}

async function choice(owner: { visitorId?: string; userId?: string }, ageDays: number, granted = true) {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO consent_records (user_id, visitor_id, purpose, granted, source, policy_version, created_at, ip)
     VALUES ($1, $2, 'analytics', $3, 'banner', '1', $4, '203.0.113.7') RETURNING id`,
    [
      owner.userId ?? null,
      owner.visitorId ?? null,
      granted,
      new Date(test.clock.now.getTime() - ageDays * DAY),
    ],
  );
  return Number(rows[0]!.id);
}

async function kept(ids: number[]): Promise<number[]> {
  const { rows } = await pool.query<{ id: string }>(
    'SELECT id FROM consent_records WHERE id = ANY($1::bigint[]) ORDER BY id',
    [ids],
  );
  return rows.map((row) => Number(row.id));
}

describe('anonymous cookie choices', () => {
  it('deletes superseded choices after the technical period and the latest one once it lapsed', async () => {
    const visitor = randomUUID();
    const supersededOld = await choice({ visitorId: visitor }, 200, true);
    const latest = await choice({ visitorId: visitor }, 100, false);

    const recentVisitor = randomUUID();
    const supersededRecent = await choice({ visitorId: recentVisitor }, 30, true);
    const latestRecent = await choice({ visitorId: recentVisitor }, 10, false);

    // Superseded by a signed-in choice on the same browser: no longer relied on.
    const signedInVisitor = randomUUID();
    const userId = await insertLedgerTestUser(test.ctx.db);
    const beforeSignIn = await choice({ visitorId: signedInVisitor }, 120, true);
    const signedIn = await choice({ visitorId: signedInVisitor, userId }, 110, false);
    const ownOld = await choice({ userId }, 900, true);

    const lapsed = await choice({ visitorId: randomUUID() }, ANONYMOUS_CONSENT_VALIDITY_DAYS + 1);
    const stillValid = await choice({ visitorId: randomUUID() }, ANONYMOUS_CONSENT_VALIDITY_DAYS - 1);

    expect(await sweep(anonymousConsentRule)).toBe(3);
    expect(
      await kept([
        supersededOld,
        latest,
        supersededRecent,
        latestRecent,
        beforeSignIn,
        signedIn,
        ownOld,
        lapsed,
        stillValid,
      ]),
    ).toEqual([latest, supersededRecent, latestRecent, signedIn, ownOld, stillValid]);
  });

  it('keeps the latest choice as long as a longer technical period says', async () => {
    const longer = await createTestApp({ RETENTION_TECHNICAL_LOGS_DAYS: '730' }, { webRoot: null });
    const { rows } = await longer.ctx.pool.query<{ id: string }>(
      `INSERT INTO consent_records (visitor_id, purpose, granted, source, policy_version, created_at)
       VALUES ($1, 'analytics', true, 'banner', '1', $2) RETURNING id`,
      [randomUUID(), new Date(longer.clock.now.getTime() - 500 * DAY)],
    );
    const now = longer.ctx.now();
    await anonymousConsentRule.sweep(
      { pool: longer.ctx.pool, config: longer.ctx.config, now, holds: { userIds: [], organisationIds: [] } },
      new Date(now.getTime() - 730 * DAY),
    );
    const left = await longer.ctx.pool.query('SELECT 1 FROM consent_records WHERE id = $1', [rows[0]!.id]);
    expect(left.rowCount).toBe(1);
  });
});
