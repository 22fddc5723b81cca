/**
 * A V8 CPU profile of this process's main thread around one benchmark run, for finding where the
 * gateway's time goes: `GATEWAY_BENCH_PROFILE=mixgate-plain-50-saturated,mixgate-plain-1-100`
 * writes `.tmp/profiles/<run>.cpuprofile` for each run named (target, mode, connections, and the
 * paced rate or "saturated"), which Chrome's DevTools open. Sampled every 100 µs: the profiler's
 * own cost then shows in that run's CPU figures, so a profiled run's numbers are not comparable.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

const WANTED = new Set((process.env.GATEWAY_BENCH_PROFILE ?? '').split(',').filter(Boolean));
const DIRECTORY = path.resolve('.tmp/profiles');

/** Runs `run`, profiled when `name` was asked for. */
export async function profiledRun<T>(name: string, run: () => Promise<T>): Promise<T> {
  if (!WANTED.has(name)) return run();
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const result = await run();
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(DIRECTORY, { recursive: true });
    const file = path.join(DIRECTORY, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    console.log(`CPU profile of ${name}: ${file}`);
    return result;
  } finally {
    session.disconnect();
  }
}
