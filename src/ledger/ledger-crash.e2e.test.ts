import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase } from '../../test/test-database.js';
import { loadConfig } from '../config.js';
import { startJobs } from '../jobs/job-runner.js';
import { openRuntime } from '../runtime.js';
import { postHold } from './holds.js';
import { fundedTestWallet } from './ledger-test-fixtures.js';
import { readBalance } from './read-balance.js';

/**
 * A process killed (SIGKILL) between reserving credit and posting it leaves an open hold; the credit
 * stays reserved until a restarted instance's expire-holds job, run through pg-boss, releases it.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHILD = path.join(ROOT, 'src', 'ledger', 'crash-test-child.ts');
const EXPIRY_MS = 2_000;
const ZChildLine = z.object({ holdId: z.number().int().positive() });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Resolves with the child's first stdout line; rejects if it exits or stays silent first. */
function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no hold id within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(stdout.slice(0, newline));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the child exited (${code ?? signal}) before placing its hold:\n${output}`));
    });
  });
}

describe('a process killed between hold and post', () => {
  it('leaves the credit reserved until the restarted instance expires the hold', async () => {
    const database = await createTestDatabase();
    const funded = 5_000_000n;
    const amount = 2_000_000n;
    const { userId } = await fundedTestWallet(database.db, funded);

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, userId, String(amount), String(EXPIRY_MS)],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: process.env.HOME ?? os.tmpdir(),
          DATABASE_URL: database.url,
          LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.add(child);
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once('exit', (_code, signal) => resolve(signal)),
    );
    const { holdId } = ZChildLine.parse(JSON.parse(await firstLine(child, 30_000)));

    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    // The request is gone, its hold is not: the credit is still unavailable.
    const held = await database.pool.query<{ status: string; expires_at: Date }>(
      'SELECT status, expires_at FROM ledger_holds WHERE id = $1',
      [holdId],
    );
    expect(held.rows[0]?.status).toBe('open');
    expect(await readBalance(database.db, { userId })).toEqual({
      balance: funded,
      held: amount,
      available: funded - amount,
      openHolds: 1,
    });

    // The restart: a new runtime on the same database, with the job runner `serve` starts. The job
    // runs on pg-boss as its cron would, asked for now instead of at the next minute.
    await sleep(Math.max(0, held.rows[0]!.expires_at.getTime() - Date.now() + 50));
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mixgate-crash-'));
    const runtime = await openRuntime(
      loadConfig({
        DATABASE_URL: database.url,
        MIXGATE_DATA_DIR: dataDir,
        MIXGATE_MASTER_KEY: randomBytes(32).toString('base64'),
        LOG_LEVEL: 'silent',
      }),
    );
    const jobErrors: object[] = [];
    const jobs = await startJobs(runtime.ctx, { error: (error) => jobErrors.push(error) });
    try {
      const jobId = await jobs.runNow('expire-holds');
      expect(jobId).toBeTruthy();
      let state: string | undefined;
      for (const started = Date.now(); Date.now() - started < 30_000; await sleep(100)) {
        const job = await runtime.ctx.pool.query<{ state: string }>(
          'SELECT state FROM pgboss.job WHERE id = $1',
          [jobId],
        );
        state = job.rows[0]?.state;
        if (state === 'completed' || state === 'failed') break;
      }
      expect(state).toBe('completed');
      const row = await runtime.ctx.pool.query<{ status: string }>(
        'SELECT status FROM ledger_holds WHERE id = $1',
        [holdId],
      );
      const status = row.rows[0]?.status;
      expect(status).toBe('expired');
      expect(await readBalance(runtime.ctx.db, { userId })).toEqual({
        balance: funded,
        held: 0n,
        available: funded,
        openHolds: 0,
      });
      // The provider's answer arriving after all is refused: the credit was already released.
      await expect(postHold(runtime.ctx.db, holdId, 1_000_000n, runtime.ctx.now())).rejects.toMatchObject({
        status: 409,
      });
      expect(await readBalance(runtime.ctx.db, { userId })).toMatchObject({ balance: funded, held: 0n });
      expect(jobErrors).toEqual([]);
    } finally {
      await jobs.stop();
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
