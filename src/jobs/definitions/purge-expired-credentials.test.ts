import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, signUpAndLogIn } from '../../../test/test-app.js';
import { startJobs } from '../job-runner.js';
import { purgeExpiredCredentials } from './purge-expired-credentials.js';

describe('purge-expired-credentials', () => {
  it('deletes sessions and tokens a week past expiry or use, and keeps live ones', async () => {
    const test = await createTestApp();
    const user = await signUpAndLogIn(test);
    const sessionsBefore = await test.ctx.pool.query(
      'SELECT count(*)::int AS n FROM sessions WHERE user_id = $1',
      [user.userId],
    );
    expect(sessionsBefore.rows[0].n).toBe(1);
    const old = new Date(test.clock.now.getTime() - 8 * 86_400_000);
    await test.ctx.pool.query(
      `INSERT INTO sessions (id, user_id, token_hash, csrf_token, expires_at) VALUES ($1, $2, $3, 'x', $4)`,
      [randomUUID(), user.userId, randomUUID(), old],
    );
    await purgeExpiredCredentials.handler(test.ctx);
    const sessions = await test.ctx.pool.query('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [
      user.userId,
    ]);
    expect(sessions.rows[0].n).toBe(1);
    // The verification token was used at sign-up; a week later it goes too.
    test.clock.advance(8 * 86_400_000);
    await purgeExpiredCredentials.handler(test.ctx);
    const tokens = await test.ctx.pool.query(
      'SELECT count(*)::int AS n FROM user_tokens WHERE user_id = $1',
      [user.userId],
    );
    expect(tokens.rows[0].n).toBe(0);
  });

  it('is scheduled by pg-boss on the same database', async () => {
    const test = await createTestApp();
    const runner = await startJobs(test.ctx, { error: () => {} });
    const schedules = await test.ctx.pool.query('SELECT name, cron FROM pgboss.schedule');
    expect(schedules.rows).toContainEqual({
      name: purgeExpiredCredentials.name,
      cron: purgeExpiredCredentials.cron,
    });
    await runner.stop();
  });
});
