import PgBoss from 'pg-boss';
import type { AppContext } from '../app-context.js';
import { buildDataExport } from './definitions/build-data-export.js';
import { eraseUserData } from './definitions/erase-user-data.js';
import { expireHoldsJob } from './definitions/expire-holds.js';
import { gatewayJobStep } from './definitions/gateway-job-step.js';
import { incidentDeadlineReminder } from './definitions/incident-deadline-reminder.js';
import { legalNoticeMail } from './definitions/legal-notice-mail.js';
import { privacyRequestDeadlineReminder } from './definitions/privacy-request-deadline-reminder.js';
import { purgeExpiredCredentials } from './definitions/purge-expired-credentials.js';
import { retentionSweep } from './definitions/retention-sweep.js';
import type { JobDefinition } from './job-definition.js';

export const JOBS: JobDefinition[] = [
  purgeExpiredCredentials,
  expireHoldsJob,
  gatewayJobStep,
  retentionSweep,
  buildDataExport,
  eraseUserData,
  incidentDeadlineReminder,
  privacyRequestDeadlineReminder,
  legalNoticeMail,
];

export interface JobRunner {
  /** Queues a job to run now, as its schedule would; returns the pg-boss job id. */
  runNow(name: string): Promise<string | null>;
  /** Queues a job with data, to start after `delayMs`. */
  send(name: string, data: object, delayMs?: number): Promise<string | null>;
  stop(): Promise<void>;
}

/**
 * pg-boss on Mixgate's own database and connection pool: with several instances each job runs
 * once, and schedules survive restarts.
 */
export async function startJobs(
  ctx: AppContext,
  log: { error: (obj: object, msg: string) => void },
): Promise<JobRunner> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => ctx.pool.query(text, values) },
    schema: 'pgboss',
  });
  boss.on('error', (error) => log.error({ err: { message: error.message } }, 'job queue error'));
  await boss.start();
  for (const job of JOBS) {
    await boss.createQueue(job.name, { name: job.name, retryLimit: job.retryLimit ?? 3, retryBackoff: true });
    if (job.cron) await boss.schedule(job.name, job.cron);
    await boss.work(job.name, async (batch: Array<{ data: unknown }>) => {
      for (const item of batch) await job.handler(ctx, item.data);
    });
  }
  return {
    runNow: (name) => boss.send(name, {}),
    send: (name, data, delayMs = 0) =>
      boss.send(name, data, delayMs > 0 ? { startAfter: new Date(Date.now() + delayMs) } : {}),
    async stop() {
      await boss.stop({ graceful: true, timeout: 5_000, wait: true });
    },
  };
}
