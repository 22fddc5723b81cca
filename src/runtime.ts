import path from 'node:path';
import { createApiKeyCache } from './accounts/api-key-cache.js';
import type { AppContext } from './app-context.js';
import type { Config } from './config.js';
import { type Database, openDatabase } from './db/database.js';
import { gatewayServicesFromConfig } from './gateway/gateway-services.js';
import { createTimerJobScheduler } from './gateway/jobs/job-scheduler.js';
import { runJobStep } from './gateway/jobs/run-job-step.js';
import { assertLedgerCurrency } from './ledger/ledger-currency.js';
import { createMailer } from './lib/mailer.js';
import { loadMasterKey } from './lib/master-key.js';
import { createMemoryRateLimiter } from './lib/rate-limiter.js';
import { createRedisRateLimiter } from './lib/redis-rate-limiter.js';
import { seedLegalDocuments } from './privacy/legal/seed-legal-documents.js';

export interface Runtime {
  ctx: AppContext;
  database: Database;
  /** Closes connections; stops the embedded PostgreSQL when asked (see Database.close). */
  close(options?: { stopEmbedded?: boolean }): Promise<void>;
}

/**
 * Everything the server and the CLI share: the database (embedded or DATABASE_URL, migrated),
 * the master key, mail, caches and the seeded legal documents.
 */
export async function openRuntime(
  config: Config,
  log: (message: string) => void = () => {},
): Promise<Runtime> {
  const database = await openDatabase(config, { log });
  const redisLimiter = config.REDIS_URL ? createRedisRateLimiter(config.REDIS_URL) : undefined;
  try {
    const masterKey = await loadMasterKey({ configured: config.MIXGATE_MASTER_KEY, dataDir: config.dataDir });
    const now = () => new Date();
    const ctx: AppContext = {
      config,
      db: database.db,
      pool: database.pool,
      masterKey,
      mailer: createMailer({
        smtpUrl: config.SMTP_URL,
        from: config.MAIL_FROM,
        mailDir: path.join(config.dataDir, 'mail'),
      }),
      rateLimiter: redisLimiter ?? createMemoryRateLimiter(),
      apiKeyCache: createApiKeyCache(database.db),
      gateway: gatewayServicesFromConfig(config, database.db, now),
      now,
    };
    // Job steps run on in-process timers until `serve` hands them to the job queue.
    const timerJobs = createTimerJobScheduler((jobId) => runJobStep(ctx, jobId));
    ctx.gateway.jobScheduler = timerJobs;
    await assertLedgerCurrency(ctx.db, config.CURRENCY);
    await seedLegalDocuments(ctx.db, config, ctx.now());
    return {
      ctx,
      database,
      async close(options) {
        timerJobs.close();
        // Settlements still queued are captures already reported to clients: commit them first.
        await ctx.gateway.close();
        await redisLimiter?.close();
        await database.close(options);
      },
    };
  } catch (error) {
    await redisLimiter?.close();
    await database.close({ stopEmbedded: true });
    throw error;
  }
}
