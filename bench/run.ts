/**
 * `npm run bench`: throughput and latency of the authenticated hot path, measured with autocannon
 * against real servers on loopback, reported as ratios against a baseline run in the same process.
 *
 *   baseline  GET /healthz            no authentication
 *   cached    GET /v1/models          API key, in-memory key cache (the product's configuration)
 *   uncached  GET /v1/models          API key, cache disabled: a database query per lookup
 *                                     (concurrent lookups of one key still share a query)
 *
 * Uses the embedded PostgreSQL under .tmp/bench (or DATABASE_URL). Then runs the gateway benchmark
 * (bench/gateway.ts): chat completions through Mixgate against the same fake upstream called
 * directly, the web benchmark (bench/web.ts): first loads of the chat page in Chromium against its
 * budgets, the ledger benchmark (bench/ledger.ts): hold+post pairs per second on the embedded
 * and the machine's PostgreSQL, and the content encryption benchmark (bench/content-cipher.ts):
 * sealing and opening messages and files against plaintext handling.
 */
import autocannon from 'autocannon';
import { createApiKeyCache } from '../src/accounts/api-key-cache.js';
import { createApiKey } from '../src/accounts/api-keys.js';
import { buildApp } from '../src/app.js';
import { createUserByOperator } from '../src/console/create-staff.js';
import { openRuntime } from '../src/runtime.js';
import { benchConfig } from './bench-runtime.js';
import { runContentCipherBench } from './content-cipher.js';
import { runGatewayBench } from './gateway.js';
import { runLedgerBench } from './ledger.js';
import { runWebBench } from './web.js';

const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 50;

interface Measurement {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function measure(
  name: string,
  url: string,
  headers: Record<string, string> = {},
): Promise<Measurement> {
  const result = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION_SECONDS });
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

const config = benchConfig();
const runtime = await openRuntime(config);
const { ctx } = runtime;
try {
  const email = `bench-${Date.now()}@example.com`;
  const user = await createUserByOperator(ctx, { email, password: 'benchmark passphrase 123' });
  const { key } = await createApiKey(ctx.db, { userId: user.userId, name: 'bench' }, null, ctx.now());

  const cached = await buildApp(ctx);
  const uncached = await buildApp({ ...ctx, apiKeyCache: createApiKeyCache(ctx.db, { ttlMs: 0 }) });
  const cachedUrl = await cached.listen({ host: '127.0.0.1', port: 0 });
  const uncachedUrl = await uncached.listen({ host: '127.0.0.1', port: 0 });
  const auth = { authorization: `Bearer ${key}` };

  // Warm up JIT, pools and the cache.
  await measure('warm-up', `${cachedUrl}/v1/models`, auth);
  const results = [
    await measure('baseline: GET /healthz (no auth)', `${cachedUrl}/healthz`),
    await measure('cached key: GET /v1/models', `${cachedUrl}/v1/models`, auth),
    await measure('uncached key: GET /v1/models', `${uncachedUrl}/v1/models`, auth),
  ];
  const baseline = results[0]!;
  console.log(
    `\n${CONNECTIONS} connections, ${DURATION_SECONDS} s each, database: ${config.DATABASE_URL ? 'DATABASE_URL' : 'embedded'}\n`,
  );
  console.log('| run | req/s | ratio to baseline | p50 ms | p99 ms | non-2xx |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const row of results) {
    const ratio = (row.requestsPerSecond / baseline.requestsPerSecond).toFixed(2);
    console.log(
      `| ${row.name} | ${Math.round(row.requestsPerSecond)} | ${ratio} | ${row.p50} | ${row.p99} | ${row.non2xx} |`,
    );
  }
  const [, hit, miss] = results;
  console.log(`\nkey cache speed-up: ${(hit!.requestsPerSecond / miss!.requestsPerSecond).toFixed(2)}x`);
  await cached.close();
  await uncached.close();
  if (results.some((row) => row.non2xx > 0)) process.exitCode = 1;

  const gatewayRows = await runGatewayBench({ ctx, seconds: DURATION_SECONDS });
  if (gatewayRows.some((row) => row.non2xx > 0)) process.exitCode = 1;

  await runWebBench(ctx);
  await runLedgerBench({ dataDir: config.dataDir });
  runContentCipherBench();
} finally {
  await runtime.close({ stopEmbedded: true });
}
