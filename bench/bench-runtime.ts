/**
 * The benchmarks' own instance: silent logs, no job runner, data under .tmp/bench (or
 * MIXGATE_DATA_DIR; DATABASE_URL for a PostgreSQL of your own). One definition for `npm run bench`
 * and for each benchmark run alone.
 */
import path from 'node:path';
import type { AppContext } from '../src/app-context.js';
import { type Config, loadConfig } from '../src/config.js';
import { openRuntime } from '../src/runtime.js';

export function benchConfig(): Config {
  return loadConfig({
    ...process.env,
    LOG_LEVEL: 'silent',
    JOBS_ENABLED: 'false',
    MIXGATE_DATA_DIR: process.env.MIXGATE_DATA_DIR ?? path.resolve('.tmp/bench'),
  });
}

/** Opens the benchmark instance, runs `bench` with its context, and stops it (the embedded PostgreSQL too). */
export async function withBenchRuntime(bench: (ctx: AppContext) => Promise<unknown>): Promise<void> {
  const runtime = await openRuntime(benchConfig());
  try {
    await bench(runtime.ctx);
  } finally {
    await runtime.close({ stopEmbedded: true });
  }
}
