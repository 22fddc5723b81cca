import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestApp, logInAs, type SignedInUser, signUpAndLogIn } from '../../../test/test-app.js';
import { verifySecurityLog } from '../../audit/verify-security-log.js';
import { createStaffUser } from '../../console/create-staff.js';

const DAY = 86_400_000;
const dataDir = path.join('.tmp', `retention-${randomUUID()}`);
const test = await createTestApp({ MIXGATE_DATA_DIR: dataDir, RETENTION_SECURITY_LOG_DAYS: '365' });
const PASSWORD = 'correct horse battery staple';

async function privacyOfficer(): Promise<SignedInUser> {
  const email = `dpo-${randomUUID().slice(0, 8)}@example.com`;
  await createStaffUser(test.ctx, { email, password: PASSWORD, role: 'privacy' });
  return logInAs(test, email, PASSWORD);
}

async function count(sql: string, values: unknown[]): Promise<number> {
  return (await test.ctx.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, values)).rows[0]!
    .n;
}

/** An ended session, a resolved report and a mail file for `user`, all `ageDays` old. */
async function oldData(user: SignedInUser, ageDays: number): Promise<void> {
  const then = new Date(test.clock.now.getTime() - ageDays * DAY);
  await test.ctx.pool.query(
    `INSERT INTO sessions (id, user_id, token_hash, csrf_token, created_at, last_seen_at, expires_at)
     VALUES ($1, $2, $3, 'x', $4, $4, $4)`,
    [randomUUID(), user.userId, randomUUID(), then],
  );
  await test.ctx.pool.query(
    `INSERT INTO output_reports (id, user_id, generation_id, reason, status, created_at)
     VALUES ($1, $2, 'gen-old', 'other', 'resolved', $3)`,
    [randomUUID(), user.userId, then],
  );
  const mailDir = path.join(dataDir, 'mail');
  await mkdir(mailDir, { recursive: true });
  const file = path.join(mailDir, `${randomUUID()}.eml`);
  await writeFile(file, `From: x@localhost\nTo: ${user.email}\nSubject: old\n\nbody\n`);
  await utimes(file, then, then);
}

async function mailFilesTo(user: SignedInUser): Promise<number> {
  const mailDir = path.join(dataDir, 'mail');
  const names = await readdir(mailDir).catch(() => [] as string[]);
  let found = 0;
  for (const name of names) {
    const text = await readFile(path.join(mailDir, name), 'utf8');
    if (text.includes(`To: ${user.email}`)) found += 1;
  }
  return found;
}

describe('the retention sweep', () => {
  it('deletes exactly what is past its period, and nothing of a subject under a legal hold', async () => {
    let officer = await privacyOfficer();
    const free = await signUpAndLogIn(test);
    const held = await signUpAndLogIn(test);
    await oldData(free, 400);
    await oldData(held, 400);

    const placed = await test.app.inject({
      method: 'POST',
      url: '/api/console/legal-holds',
      headers: officer.headers,
      payload: { scope: 'user', subjectId: held.userId, reason: 'Chargeback dispute #4411' },
    });
    expect(placed.statusCode).toBe(201);

    // The security log entries of sign-up are a year old when the clock moves 366 days on.
    test.clock.advance(366 * DAY);
    officer = await privacyOfficer(); // the first session expired with the year
    const run = await test.app.inject({
      method: 'POST',
      url: '/api/console/retention/run',
      headers: officer.headers,
    });
    expect(run.statusCode).toBe(200);
    const report = run.json<{ rules: Array<{ rule: string; affected: number }> }>();
    expect(report.rules.map((rule) => rule.rule)).toEqual([
      'ended sessions and one-time links',
      'security log entries',
      'resolved output reports',
      'mail files',
      'closed accounts past their grace period',
      'accounts never verified',
      'closed organisations past their grace period',
      'spend counters of ended periods',
      'personal details of old transactions',
      'usage records',
      'anonymous cookie choices',
      'closed support tickets',
    ]);

    // Free user: old session, report, mail, sign-up events all gone (events redacted, not deleted).
    expect(await count('output_reports WHERE user_id = $1', [free.userId])).toBe(0);
    expect(await count('sessions WHERE user_id = $1', [free.userId])).toBe(0);
    expect(await mailFilesTo(free)).toBe(0);
    expect(await count('security_events WHERE user_id = $1', [free.userId])).toBe(0);
    // Held user: everything kept.
    expect(await count('output_reports WHERE user_id = $1', [held.userId])).toBe(1);
    expect(await count('sessions WHERE user_id = $1', [held.userId])).toBeGreaterThanOrEqual(1);
    expect(await mailFilesTo(held)).toBeGreaterThanOrEqual(1);
    expect(await count('security_events WHERE user_id = $1', [held.userId])).toBeGreaterThan(0);
    // What is younger than its period stays.
    const fresh = await signUpAndLogIn(test);
    await oldData(fresh, 2);
    await test.app.inject({ method: 'POST', url: '/api/console/retention/run', headers: officer.headers });
    expect(await count('output_reports WHERE user_id = $1', [fresh.userId])).toBe(1);
    expect(await count('security_events WHERE user_id = $1', [fresh.userId])).toBeGreaterThan(0);
    expect(await mailFilesTo(fresh)).toBe(1);

    // The chain still verifies, with the redacted rows counted.
    const verification = await verifySecurityLog(test.ctx.db);
    expect(verification.ok).toBe(true);
    expect(verification.redacted).toBeGreaterThan(0);

    // Released, the hold no longer protects the data.
    const holds = await test.app.inject({
      method: 'GET',
      url: '/api/console/legal-holds',
      headers: officer.headers,
    });
    const [hold] = holds
      .json<{ holds: Array<{ id: string; subjectId: string }> }>()
      .holds.filter((candidate) => candidate.subjectId === held.userId);
    const released = await test.app.inject({
      method: 'POST',
      url: `/api/console/legal-holds/${hold!.id}/release`,
      headers: officer.headers,
    });
    expect(released.statusCode).toBe(200);
    await test.app.inject({ method: 'POST', url: '/api/console/retention/run', headers: officer.headers });
    expect(await count('output_reports WHERE user_id = $1', [held.userId])).toBe(0);
    expect(await mailFilesTo(held)).toBe(0);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses to delete or rewrite security log rows outside a redaction', async () => {
    await expect(test.ctx.pool.query('DELETE FROM security_events')).rejects.toThrow(/append-only/);
    await expect(test.ctx.pool.query(`UPDATE security_events SET ip = '1.2.3.4'`)).rejects.toThrow(
      /append-only/,
    );
    // Even with the redaction switch on, only clearing the personal columns is allowed.
    const client = await test.ctx.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('mixgate.security_log_redaction', 'on', true)`);
      await expect(
        client.query(`UPDATE security_events SET type = 'sign_out', redacted_at = now(), user_id = NULL, actor_id = NULL,
                      ip = NULL, user_agent = NULL, details = '{}'::jsonb`),
      ).rejects.toThrow(/append-only/);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('lets only admin and privacy staff manage holds, and asks for a reason', async () => {
    const member = await signUpAndLogIn(test);
    const forbidden = await test.app.inject({
      method: 'POST',
      url: '/api/console/legal-holds',
      headers: member.headers,
      payload: { scope: 'user', subjectId: member.userId, reason: 'x' },
    });
    expect(forbidden.statusCode).toBe(403);
    const officer = await privacyOfficer();
    const noReason = await test.app.inject({
      method: 'POST',
      url: '/api/console/legal-holds',
      headers: officer.headers,
      payload: { scope: 'user', subjectId: member.userId, reason: ' ' },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('State the reason for the hold');
  });
});
