import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { resumeUnfinishedJobs } from './gateway/jobs/run-job-step.js';
import { startSettlementJournal } from './gateway/metering/settlement-journal-startup.js';
import { ensureWebBuild } from './http/ensure-web-build.js';
import { type JobRunner, startJobs } from './jobs/job-runner.js';
import { sealLegacyContent } from './privacy/content-legacy.js';
import { checkMasterKey } from './privacy/content-master-key.js';
import { openRuntime } from './runtime.js';

/**
 * `mixgate serve`: database, jobs, HTTP. SIGINT/SIGTERM close in reverse order and stop the
 * embedded PostgreSQL — also one this process adopted after a crash, since the server owns it.
 */
export async function serve(config: Config): Promise<void> {
  const started = Date.now();
  const say = (message: string) => console.log(`[mixgate] ${message}`);
  // Beside the database start: neither waits for the other.
  const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const [runtime] = await Promise.all([openRuntime(config, say), ensureWebBuild(projectRoot, say)]);
  const { ctx, database } = runtime;
  // Content encryption: refuse a master key that sealed none of the data keys, then seal what
  // was stored before encryption (a no-op once done).
  const { foreign } = await checkMasterKey(ctx.db, ctx.masterKey);
  if (foreign > 0) say(`warning: ${foreign} user data key(s) are sealed by another master key`);
  await sealLegacyContent(ctx, { log: say });
  const app = await buildApp(ctx);
  // Before the jobs (the hold expiry) and the first request: what a crash left journaled is
  // committed first.
  const journal = await startSettlementJournal({ ...ctx, pool: database.pool, log: app.log });
  if (journal?.replayed) say(`committed ${journal.replayed} capture(s) left in the settlement journal`);
  let jobs: JobRunner | undefined;
  if (config.JOBS_ENABLED) {
    const runner = await startJobs(ctx, app.log);
    jobs = runner;
    ctx.jobs = runner;
    ctx.gateway.jobScheduler = {
      schedule: async (jobId, delayMs) => {
        await runner.send('gateway-job-step', { jobId }, delayMs);
      },
    };
  }
  const resumed = await resumeUnfinishedJobs(ctx);
  if (resumed > 0) say(`resuming ${resumed} unfinished generation job(s)`);
  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  say(`listening on http://${config.HOST}:${port} (ready in ${Date.now() - started} ms)`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal}: shutting down`);
    const timer = setTimeout(() => process.exit(1), 20_000);
    timer.unref();
    try {
      await app.close();
      await jobs?.stop();
      await journal?.close();
      await runtime.close();
      await database.embedded?.stop();
    } finally {
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}
