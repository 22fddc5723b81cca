/**
 * Gateway overhead: the latency of a chat completion through Mixgate minus the latency of the same
 * upstream request sent straight to the same fake upstream, measured in one process run.
 *
 *   direct    POST <fake>/v1/chat/completions     the exact body Mixgate sends upstream
 *   bare      POST <bare proxy>/chat/completions  the same body through a pass-through Node proxy
 *                                                (bench/bare-proxy.ts): the floor under any gateway
 *   mixgate   POST <mixgate>/v1/chat/completions  model openai/gpt-4o-mini, API key, hold, settle
 *
 * each non-streaming and streaming (a latency ends with the response's last byte), at 50
 * connections (the targets: p50 overhead under 2 ms, p99 under 10 ms) and at 1 connection (the
 * overhead of one request with no queueing, for reading the 50-connection numbers: saturated, and
 * paced at LONE_RATE so that every process is idle when each request comes, direct and through
 * alike). The 50-connection runs are made twice: saturated (autocannon; the most requests per
 * second, with a latency that is only the connections over the throughput) and paced at fixed
 * offered loads (bench/paced-load.ts; the latency at a load the gateway carries). Mixgate runs as
 * `npm start` does, with the settlement journal (src/ledger/journaled-settlements.ts); then
 * captures journaled are compared with captures committed in the database before the response,
 * in short alternated runs.
 *
 * Three parties, kept apart so that none pays for another's CPU: the OpenAI fake runs in a child
 * process (bench/fake-upstream.ts); the load generator (autocannon) runs in a worker thread, which
 * reports every latency in fractions of a millisecond (autocannon's own histogram keeps whole
 * milliseconds, too coarse for a 2 ms target); the gateway runs on this process's main thread.
 * CPU per request is reported for each: the gateway's thread, the PostgreSQL backends serving it
 * and the fake (Linux /proc; on two cores, their sum bounds the throughput).
 *
 * Numbers are printed only when the books agree afterwards: every request Mixgate received has
 * exactly one generations row and a resolved hold of its own whose captured amount is the row's
 * cost, every hold placed ahead and taken by no request was released, the wallet lost exactly the
 * sum of the costs, no hold is left open, and `checkLedger` finds nothing.
 *
 * `npm run bench` runs it after the HTTP benchmark; `tsx bench/gateway.ts` runs it alone.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import { sql } from 'drizzle-orm';
import { createApiKey } from '../src/accounts/api-keys.js';
import { buildApp } from '../src/app.js';
import type { AppContext } from '../src/app-context.js';
import type { Db } from '../src/db/database.js';
import { gatewayServicesFromConfig } from '../src/gateway/gateway-services.js';
import { startSettlementJournal } from '../src/gateway/metering/settlement-journal-startup.js';
import { fundedTestWallet } from '../src/ledger/ledger-test-fixtures.js';
import { type BareProxy, startBareProxy } from './bare-proxy.js';
import { withBenchRuntime } from './bench-runtime.js';
import { profiledRun } from './cpu-profile.js';
import type { FakeUpstreamMessage } from './fake-upstream.js';
import { settleEverything, verifyBooks } from './gateway-books.js';
import {
  type GatewayBenchRow,
  type PairComparison,
  printPairComparison,
  printTables,
  type ReportSettings,
  type Target,
} from './gateway-report.js';
import { watchGcPauses } from './gc-pauses.js';
import { generatePacedLoad, type PacedLoadResult, type PacedLoadSpec } from './paced-load.js';

const CONNECTIONS = 50;
/** Users (each with a wallet and a key) the requests through Mixgate rotate over. */
const USERS = Number(process.env.GATEWAY_BENCH_USERS ?? CONNECTIONS);
const WARM_UP_SECONDS = 1;
const FUNDING = 1_000_000_000_000n;
const MODEL = 'openai/gpt-4o-mini';
const CHAT_PATH = '/v1/chat/completions';
const LOAD_WORKER = 'mixgate-gateway-bench-load';
/**
 * For trying a change: GATEWAY_BENCH_QUICK=1 runs non-streaming requests only, =stream streamed ones
 * only; saturated at 50 connections and 1, paced at 250/s only, and the holds comparison on a lone
 * request only.
 */
const QUICK = process.env.GATEWAY_BENCH_QUICK === '1' || process.env.GATEWAY_BENCH_QUICK === 'stream';
const MODES = QUICK ? [process.env.GATEWAY_BENCH_QUICK === 'stream'] : [false, true];
/** The paired comparison's mode: non-streaming, or the quick run's. */
const PAIR_STREAM = MODES[0]!;
/**
 * Captures journaled against captures committed before the response: short runs, alternated this
 * many times each, so that the machine's drift (whole runs here differ by a millisecond from one
 * minute to the next) falls on both alike.
 */
const PAIR_ROUNDS = 8;
const PAIR_SECONDS = 1;
/**
 * Offered loads (req/s) of the paced runs at 50 connections: latency at a load the gateway carries,
 * where a saturated run's latency is only the connections divided by the throughput.
 */
const PACED_RATES = QUICK ? [250] : [250, 500, 1000];
/**
 * A lone request: one connection paced at this many req/s, so that each request finds every process
 * idle, through Mixgate as direct. (One connection saturated keeps the fake busy on direct runs,
 * while through Mixgate it idles during the database round trips: waking an idle process here
 * costs about a millisecond, which that comparison would count as Mixgate's overhead.)
 */
const LONE_RATE = 100;
/** The loads of the comparison: a lone request, a moderate paced load, saturation. */
const PAIR_LOADS: ReadonlyArray<{ connections: number; rate?: number }> = QUICK
  ? [
      { connections: 1, rate: LONE_RATE },
      { connections: CONNECTIONS, rate: 250 },
    ]
  : [
      { connections: 1, rate: LONE_RATE },
      { connections: CONNECTIONS, rate: 250 },
      { connections: CONNECTIONS },
    ];

export interface GatewayBenchOptions {
  /** A runtime's context: its database and caches; the gateway services are built here. */
  ctx: AppContext;
  /** Length of each measured run. */
  seconds: number;
}

/**
 * One run's load: autocannon's saturating one, or paced at `rate` (bench/paced-load.ts). The keys,
 * sent in turn, spread the load over as many wallets.
 */
type LoadSpec = Omit<PacedLoadSpec, 'rate'> & { rate?: number };

/** A paced run's warm-up costs CPU and leaves records too; autocannon's runs have none. */
type LoadResult = Omit<PacedLoadResult, 'warmUp'> & Partial<Pick<PacedLoadResult, 'warmUp'>>;

// ---------------------------------------------------------------------------------------------
// The load generator, in a worker thread

if (!isMainThread && workerData === LOAD_WORKER) {
  parentPort?.on('message', async (spec: LoadSpec) => {
    const result = spec.rate
      ? await generatePacedLoad({ ...spec, rate: spec.rate })
      : await generateLoad(spec);
    parentPort?.postMessage(result, [result.latencies.buffer]);
  });
}

function generateLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  let non2xx = 0;
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: 'POST',
        headers: spec.headers,
        body: spec.body,
        ...(spec.keys && { requests: [{ setupRequest: rotateKeys(spec.keys) }] }),
        connections: spec.connections,
        duration: spec.seconds,
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          latencies: Float64Array.from(latencies),
          non2xx,
          errors: result.errors + result.timeouts,
          elapsedMs: performance.now() - startedAt,
        });
      },
    );
    instance.on('response', (_client, statusCode: number, _bytes, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      else non2xx++;
    });
  });
}

/** autocannon's per-request hook: the next key's Authorization header. */
function rotateKeys(keys: readonly string[]) {
  let next = 0;
  return (request: autocannon.Request): autocannon.Request => ({
    ...request,
    headers: { ...request.headers, authorization: `Bearer ${keys[next++ % keys.length]}` },
  });
}

interface LoadWorker {
  run(spec: LoadSpec): Promise<LoadResult>;
  close(): Promise<void>;
}

async function startLoadWorker(): Promise<LoadWorker> {
  // tsx hooks the main thread's module loader only (Node 20): the worker loads this file through
  // tsx's API, which then runs the worker branch at the top of the file.
  const self = JSON.stringify(import.meta.url);
  const worker = new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${self}, ${self}))`, {
    eval: true,
    workerData: LOAD_WORKER,
  });
  await once(worker, 'online');
  return {
    async run(spec) {
      worker.postMessage(spec);
      const [result] = (await once(worker, 'message')) as [LoadResult];
      return result;
    },
    async close() {
      await worker.terminate();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The fake upstream, in a child process

interface Upstream {
  baseUrl: string;
  pid: number;
  /** The body of the last request the fake received. */
  lastBody(): Promise<unknown>;
  close(): Promise<void>;
}

async function startUpstream(): Promise<Upstream> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fake-upstream.ts');
  const child: ChildProcess = fork(script, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = async <T extends FakeUpstreamMessage['type']>(type: T) => {
    for (;;) {
      const [message] = (await once(child, 'message')) as [FakeUpstreamMessage];
      if (message.type === type) return message as Extract<FakeUpstreamMessage, { type: T }>;
    }
  };
  const ready = await Promise.race([
    next('ready'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`bench/fake-upstream.ts exited with ${code} before listening`);
    }),
  ]);
  return {
    baseUrl: ready.baseUrl,
    pid: child.pid!,
    async lastBody() {
      const answer = next('last-body');
      child.send({ type: 'last-body' });
      return (await answer).body;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

/**
 * CPU time (user plus system, in µs) from a /proc stat file; Linux only, 0 elsewhere. Counted in
 * ticks of 10 ms, so a run needs a few hundred requests for a per-request figure to mean much. CPU
 * rather than wall-clock busy time, because on a shared machine a thread waiting for a core looks
 * busy.
 */
function cpuMicros(statFile: string): number {
  try {
    const fields = readFileSync(statFile, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime (fields 14 and 15 of stat), in ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return 0;
  }
}

interface CpuSnapshot {
  gateway: number;
  upstream: number;
  /** Per backend process id. */
  postgres: Map<number, number>;
}

async function cpuSnapshot(db: Db, upstreamPid: number): Promise<CpuSnapshot> {
  // The backends of this database, as the server itself lists them: a shared machine may run
  // other clusters with databases of the same name.
  const backends = await db.execute<{ pid: number }>(sql`
    SELECT pid FROM pg_stat_activity
     WHERE datname = current_database() AND backend_type = 'client backend'`);
  return {
    // The main thread's own stat: the process's would add the load generator's worker thread.
    gateway: cpuMicros(`/proc/${process.pid}/task/${process.pid}/stat`),
    upstream: cpuMicros(`/proc/${upstreamPid}/stat`),
    postgres: new Map(backends.rows.map(({ pid }) => [pid, cpuMicros(`/proc/${pid}/stat`)])),
  };
}

function postgresCpuBetween(start: CpuSnapshot, end: CpuSnapshot): number {
  let total = 0;
  for (const [pid, micros] of end.postgres) total += micros - (start.postgres.get(pid) ?? 0);
  return total;
}

// ---------------------------------------------------------------------------------------------
// The benchmark

/** Percentile by the nearest rank, of sorted values. */
function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** How many requests reached Mixgate's chat route and how many it answered completely with a 2xx. */
function countChatRequests(server: import('node:http').Server) {
  const counts = { received: 0, answered2xx: 0 };
  server.on('request', (request: import('node:http').IncomingMessage, response) => {
    if (request.method !== 'POST' || request.url !== CHAT_PATH) return;
    counts.received++;
    response.on('finish', () => {
      if (response.statusCode >= 200 && response.statusCode < 300) counts.answered2xx++;
    });
  });
  return counts;
}

export async function runGatewayBench(options: GatewayBenchOptions): Promise<GatewayBenchRow[]> {
  const { ctx, seconds } = options;
  const upstream = await startUpstream();
  // The runtime's settings with one provider, the fake; the key is any bearer token the fake takes.
  const config = Object.freeze({
    ...ctx.config,
    providerEnv: Object.freeze({ OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: upstream.baseUrl }),
  });
  const gateway = gatewayServicesFromConfig(config, ctx.db, ctx.now);
  const app = await buildApp({ ...ctx, config, gateway });
  // As `npm start` has it: on with the embedded database, off with DATABASE_URL (or SETTLEMENT_JOURNAL).
  const direct = gateway.settlements;
  const journal = await startSettlementJournal({ ...ctx, config, gateway, log: app.log });
  const journaled = gateway.settlements;
  let load: LoadWorker | undefined;
  let bare: BareProxy | undefined;
  try {
    const gatewayUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    const counts = countChatRequests(app.server);
    // One user per connection: the overhead of the gateway, not the queue on one hot wallet's row
    // (bench/ledger.ts measures that).
    const users: Array<{ userId: string; walletId: number; key: string }> = [];
    for (let i = 0; i < USERS; i++) {
      const { userId, walletId } = await fundedTestWallet(ctx.db, FUNDING);
      const { key } = await createApiKey(ctx.db, { userId, name: 'gateway bench' }, null, ctx.now());
      users.push({ userId, walletId, key });
    }
    const userIds = users.map((user) => user.userId);
    const walletIds = users.map((user) => user.walletId);
    const keys = users.map((user) => user.key);
    const key = keys[0]!;
    load = await startLoadWorker();
    const worker = load;
    const upstreamUrl = new URL(`${upstream.baseUrl}/chat/completions`);
    bare = await startBareProxy(upstreamUrl.origin, upstreamUrl.pathname);

    const messages = [{ role: 'user', content: 'Say hello to the benchmark in one short sentence.' }];
    const gatewayHeaders = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    const upstreamHeaders = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };
    const specs = new Map<string, LoadSpec>();
    let client2xx = 0;
    // autocannon ends a run by destroying its connections: the requests then in flight are
    // cancelled (or complete unseen), at most one per connection per run.
    let cutAtMost = 0;
    for (const stream of [false, true]) {
      const body = JSON.stringify({ model: MODEL, messages, ...(stream && { stream: true }) });
      // One request through Mixgate tells what it sends upstream: the direct runs send exactly that.
      const probe = await fetch(`${gatewayUrl}${CHAT_PATH}`, {
        method: 'POST',
        headers: gatewayHeaders,
        body,
      });
      const probeText = await probe.text();
      if (probe.status !== 200) throw new Error(`probe through Mixgate: ${probe.status} ${probeText}`);
      client2xx++;
      const upstreamBody = JSON.stringify(await upstream.lastBody());
      const spec = { connections: CONNECTIONS, seconds };
      specs.set(`direct ${stream}`, {
        ...spec,
        url: `${upstream.baseUrl}/chat/completions`,
        body: upstreamBody,
        headers: upstreamHeaders,
      });
      specs.set(`bare ${stream}`, {
        ...spec,
        url: `${bare.url}/chat/completions`,
        body: upstreamBody,
        headers: upstreamHeaders,
      });
      specs.set(`mixgate ${stream}`, {
        ...spec,
        url: `${gatewayUrl}${CHAT_PATH}`,
        body,
        headers: gatewayHeaders,
        keys,
      });
    }

    const measure = async (
      target: Target,
      stream: boolean,
      connections: number,
      runSeconds: number,
      rate?: number,
    ): Promise<GatewayBenchRow> => {
      const spec = {
        ...specs.get(`${target} ${stream}`)!,
        connections,
        seconds: runSeconds,
        ...(rate && { rate, warmUpSeconds: WARM_UP_SECONDS }),
      };
      const before = await cpuSnapshot(ctx.db, upstream.pid);
      const stopWatchingGc = watchGcPauses();
      const result = await worker.run(spec);
      const gc = stopWatchingGc();
      const after = await cpuSnapshot(ctx.db, upstream.pid);
      if (target === 'mixgate') {
        client2xx += result.latencies.length + (result.warmUp?.answered2xx ?? 0);
        // A paced run waits for every answer; autocannon's end cuts one per connection.
        if (!rate) cutAtMost += connections;
      }
      // CPU was spent on the warm-up's requests too.
      const count = Math.max(result.latencies.length + (result.warmUp?.sent ?? 0), 1);
      const sorted = result.latencies.sort();
      return {
        target,
        stream,
        connections,
        rate: rate ?? null,
        requestsPerSecond: result.latencies.length / (result.elapsedMs / 1000),
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
        non2xx: result.non2xx + result.errors,
        gatewayMicros: (after.gateway - before.gateway) / count,
        postgresMicros: postgresCpuBetween(before, after) / count,
        upstreamMicros: (after.upstream - before.upstream) / count,
        // Over the warm-up too, as the CPU figures are.
        gcMsPerSecond: gc.totalMs / (result.elapsedMs / 1000 + (rate ? WARM_UP_SECONDS : 0)),
        gcLongestMs: gc.longestMs,
      };
    };

    // Warm up JIT, connection pools, the key cache and the database's plans.
    for (const [target, stream] of [
      ['direct', false],
      ['bare', false],
      ['mixgate', false],
      ['direct', true],
      ['bare', true],
      ['mixgate', true],
    ] as const) {
      await measure(target, stream, CONNECTIONS, WARM_UP_SECONDS);
    }
    /** A run of the main table, profiled when GATEWAY_BENCH_PROFILE names it. */
    const measureRow = (target: Target, stream: boolean, connections: number, rate?: number) =>
      profiledRun(`${target}-${stream ? 'streamed' : 'plain'}-${connections}-${rate ?? 'saturated'}`, () =>
        measure(target, stream, connections, seconds, rate),
      );
    const rows: GatewayBenchRow[] = [];
    for (const connections of [CONNECTIONS, 1]) {
      for (const stream of MODES) {
        rows.push(await measureRow('direct', stream, connections));
        rows.push(await measureRow('bare', stream, connections));
        rows.push(await measureRow('mixgate', stream, connections));
      }
    }
    for (const stream of MODES) {
      for (const rate of PACED_RATES) {
        for (const target of ['direct', 'bare', 'mixgate'] as const) {
          rows.push(await measureRow(target, stream, CONNECTIONS, rate));
        }
      }
      for (const target of ['direct', 'bare', 'mixgate'] as const) {
        rows.push(await measureRow(target, stream, 1, LONE_RATE));
      }
    }

    // The settlement journal, paired: the same runs with each capture committed in the database
    // before its response, alternated so that both see the same machine.
    const pairRuns: PairComparison[] = [];
    if (journal) {
      for (const load of PAIR_LOADS) {
        const runs: PairComparison = { ...load, database: [], journal: [] };
        for (let round = 0; round < PAIR_ROUNDS; round++) {
          for (const variant of ['database', 'journal'] as const) {
            gateway.settlements = variant === 'journal' ? journaled : direct;
            runs[variant].push(
              await measure('mixgate', PAIR_STREAM, load.connections, PAIR_SECONDS, load.rate),
            );
          }
        }
        pairRuns.push(runs);
      }
      gateway.settlements = journaled;
    }
    await gateway.holdPool.releaseAll();

    await settleEverything(ctx.db, gateway, userIds, counts.received);
    const verification = await verifyBooks(ctx, {
      userIds,
      walletIds,
      funding: FUNDING,
      received: counts.received,
      answered2xx: counts.answered2xx,
      client2xx,
      cutAtMost,
    });
    const report: ReportSettings = {
      model: MODEL,
      connections: CONNECTIONS,
      seconds,
      warmUpSeconds: WARM_UP_SECONDS,
      modes: MODES,
      pair: { stream: PAIR_STREAM, rounds: PAIR_ROUNDS, seconds: PAIR_SECONDS },
    };
    printTables(rows, report, verification);
    printPairComparison(pairRuns, rows, report.pair);
    return rows;
  } finally {
    await load?.close();
    await bare?.close();
    await app.close();
    await journal?.close();
    await gateway.close();
    await upstream.close();
  }
}

if (
  isMainThread &&
  process.argv[1] &&
  import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href
) {
  await withBenchRuntime((ctx) => runGatewayBench({ ctx, seconds: Number(process.env.BENCH_SECONDS ?? 5) }));
}
