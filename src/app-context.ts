import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { ApiKeyCache } from './accounts/api-key-cache.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { GatewayServices } from './gateway/gateway-services.js';
import type { Mailer } from './lib/mailer.js';
import type { RateLimiter } from './lib/rate-limiter.js';

/** Everything a module needs from the running instance; built once in main.ts, passed down. */
export interface AppContext {
  config: Config;
  db: Db;
  pool: pg.Pool;
  mailer: Mailer;
  /** 32-byte instance master key that seals secrets at rest (TOTP secrets, later data keys). */
  masterKey: Buffer;
  rateLimiter: RateLimiter;
  apiKeyCache: ApiKeyCache;
  /** Catalog, deployments, provider pools, circuit breakers and the settlement queue. */
  gateway: GatewayServices;
  /** Injected so tests can move time forward. */
  now: () => Date;
  /**
   * The job queue, when this process runs it (`serve` with JOBS_ENABLED): queues a job now instead
   * of waiting for its schedule. Absent elsewhere; the schedule of an instance that runs jobs catches up.
   */
  jobs?: { send(name: string, data: object): Promise<string | null> };
}

/** The Fastify instance with the zod type provider: route schemas type `req.body`, `req.query`… */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;
