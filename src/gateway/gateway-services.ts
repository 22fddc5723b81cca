/**
 * What the gateway keeps for the life of the process: the catalog, the configured deployments,
 * one keep-alive pool per deployment, the circuit breakers and the settlement queue that
 * group-commits captures with their usage records.
 */
import { Agent, type Dispatcher } from 'undici';
import type { Catalog } from '../catalog/catalog.js';
import { loadCatalog } from '../catalog/load-catalog.js';
import { deploymentsFromEnv } from '../catalog/provider-deployments.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { createHoldPool, type HoldPool } from '../ledger/hold-pool.js';
import { createHoldQueue, type HoldQueue } from '../ledger/hold-queue.js';
import { createSettlementQueue, type SettlementQueue } from '../ledger/settlement-queue.js';
import { createProviderPool } from '../providers/http/pools.js';
import { createProviderRegistry, type ProviderRegistry } from '../providers/registry.js';
import type { Deployment } from '../providers/spec.js';
import type { JobScheduler } from './jobs/job-scheduler.js';
import { type GenerationRecord, generationRecordsSql } from './metering/generation-record.js';
import { type CircuitBreakers, createCircuitBreakers } from './routing/circuit-breaker.js';

export interface GatewayTimeouts {
  attemptsPerDeployment: number;
  /** Until an attempt is committed: the headers, or a stream's first event. */
  attemptTimeoutMs: number;
  /** For all attempts of one request, waits included. */
  totalTimeoutMs: number;
  /** Longest a stream may run; its hold lives a little longer. */
  maxStreamMs: number;
  /** Between polls of a running job at its provider. */
  jobPollMs: number;
}

export interface GatewayServices {
  catalog: Catalog;
  deployments: Deployment[];
  deploymentsById: ReadonlyMap<string, Deployment>;
  registry: ProviderRegistry;
  breakers: CircuitBreakers;
  /** Holds before upstream calls, group-committed. */
  holds: HoldQueue;
  /** Holds placed ahead for spenders in steady use, taken by their next requests. */
  holdPool: HoldPool;
  settlements: SettlementQueue<GenerationRecord>;
  timeouts: GatewayTimeouts;
  /** Runs the steps of async jobs (/v1/jobs); set at start (timers, or pg-boss with the job queue). */
  jobScheduler: JobScheduler;
  dispatcherFor(deployment: Deployment): Dispatcher;
  close(): Promise<void>;
}

export interface GatewayServicesInput {
  db: Db;
  catalog: Catalog;
  deployments: Deployment[];
  now: () => Date;
  timeouts?: Partial<GatewayTimeouts>;
  /** Slows the built-in local model's stream (demos, tests of mid-stream disconnects). */
  localChunkDelayMs?: number;
  /** Holds kept ready per spender and model (GATEWAY_HOLDS_AHEAD); 0 places every hold on demand. */
  holdsAhead?: number;
}

/** Holds outlive the longest request by this much, so the expiry job never races a live one. */
export const HOLD_MARGIN_MS = 5 * 60_000;

export function createGatewayServices(input: GatewayServicesInput): GatewayServices {
  const pools = new Map<string, Dispatcher>();
  // The local provider makes no HTTP calls; it still gets a dispatcher to satisfy CallOptions.
  const unused = new Agent();
  const deploymentsById = new Map(input.deployments.map((deployment) => [deployment.id, deployment]));
  const settlements = createSettlementQueue<GenerationRecord>(input.db, {
    now: input.now,
    recordsSql: generationRecordsSql,
  });
  const holds = createHoldQueue(input.db);
  const timeouts: GatewayTimeouts = {
    attemptsPerDeployment: 2,
    attemptTimeoutMs: 60_000,
    totalTimeoutMs: 120_000,
    maxStreamMs: 20 * 60_000,
    jobPollMs: 2_000,
    ...input.timeouts,
  };
  const holdPool = createHoldPool({
    // Through the services object, so that a benchmark swapping in another hold queue swaps this too.
    place: (holds) => services.holds.placeAll(holds),
    release: async (holdIds) => {
      await Promise.all(holdIds.map((holdId) => settlements.void(holdId)));
    },
    now: input.now,
    // Streams and media requests; a job's hold must outlive the pool's and is placed on demand.
    holdLifeMs: Math.max(timeouts.maxStreamMs, timeouts.totalTimeoutMs) + HOLD_MARGIN_MS,
    ready: input.holdsAhead,
  });
  const services: GatewayServices = {
    catalog: input.catalog,
    deployments: input.deployments,
    deploymentsById,
    registry: createProviderRegistry({ localChunkDelayMs: input.localChunkDelayMs }),
    breakers: createCircuitBreakers(),
    holds,
    holdPool,
    settlements,
    timeouts,
    jobScheduler: {
      schedule: async () => {
        throw new Error('No job scheduler: the runtime sets one at start');
      },
    },
    dispatcherFor(deployment) {
      if (!/^https?:/.test(deployment.baseUrl)) return unused;
      let pool = pools.get(deployment.id);
      if (!pool) {
        pool = createProviderPool(deployment.baseUrl);
        pools.set(deployment.id, pool);
      }
      return pool;
    },
    async close() {
      await holdPool.close();
      await holds.drain();
      // services.settlements: the journaled queue when the settlement journal wraps this one.
      await services.settlements.drain();
      await Promise.all([...pools.values(), unused].map((pool) => pool.close()));
    },
  };
  return services;
}

/** The gateway as configured: the shipped catalog (or the operator's), deployments from the environment. */
export function gatewayServicesFromConfig(config: Config, db: Db, now: () => Date): GatewayServices {
  return createGatewayServices({
    db,
    now,
    catalog: loadCatalog({ file: config.CATALOG_FILE, markupPercent: config.MARKUP_PERCENT }),
    deployments: deploymentsFromEnv(config.providerEnv),
    timeouts: {
      attemptTimeoutMs: config.GATEWAY_ATTEMPT_TIMEOUT_MS,
      totalTimeoutMs: config.GATEWAY_TOTAL_TIMEOUT_MS,
      jobPollMs: config.GATEWAY_JOB_POLL_MS,
    },
    localChunkDelayMs: config.LOCAL_MODEL_CHUNK_DELAY_MS,
    holdsAhead: config.GATEWAY_HOLDS_AHEAD,
  });
}
