/**
 * Load at a fixed offered rate, for latency at a given load rather than at saturation
 * (bench/gateway.ts). autocannon's own rate limit cannot do this: each connection sends its whole
 * second's quota back to back and then waits for the next second, so the load arrives in bursts
 * as dense as an unlimited run. Here request i is due at start + i / rate, evenly spaced, and is
 * sent on connection i mod N (all N open and used, as autocannon's would be); its latency runs from
 * when it was due, not from when it went out, so time spent waiting for a busy connection or a late
 * timer counts (what wrk2 calls avoiding coordinated omission).
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'undici';

export interface PacedLoadSpec {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** API keys sent in turn, one per request. */
  keys?: string[];
  connections: number;
  seconds: number;
  /** Requests per second offered, spread evenly over the run. */
  rate: number;
  /**
   * Seconds of the same load sent first and not counted: the run's connections are new, and each
   * one's first requests pay for its setup on both sides (a tenth of a second of latencies ten
   * times the rest, otherwise).
   */
  warmUpSeconds?: number;
}

export interface PacedLoadResult {
  /** Latency of each 2xx response, from when it was due to its last byte, in ms. */
  latencies: Float64Array<ArrayBuffer>;
  non2xx: number;
  errors: number;
  elapsedMs: number;
  /** Requests sent during the warm-up, and how many of them got a 2xx: not in the latencies. */
  warmUp: { sent: number; answered2xx: number };
}

export async function generatePacedLoad(spec: PacedLoadSpec): Promise<PacedLoadResult> {
  const url = new URL(spec.url);
  const clients = Array.from(
    { length: spec.connections },
    () => new Client(url.origin, { pipelining: 1, keepAliveTimeout: 60_000 }),
  );
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let warmUpAnswered = 0;
  const counted = Math.max(1, Math.round(spec.rate * spec.seconds));
  const warmUp = Math.round(spec.rate * (spec.warmUpSeconds ?? 0));
  const total = warmUp + counted;
  const interval = 1000 / spec.rate;
  const pending = new Set<Promise<void>>();

  const send = async (index: number, due: number): Promise<void> => {
    const key = spec.keys?.[index % spec.keys.length];
    try {
      const response = await clients[index % clients.length]!.request({
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: key ? { ...spec.headers, authorization: `Bearer ${key}` } : spec.headers,
        body: spec.body,
      });
      // The whole body: a streamed answer's latency ends with its last event.
      for await (const _chunk of response.body) {
      }
      const answered = response.statusCode >= 200 && response.statusCode < 300;
      if (index < warmUp) {
        if (answered) warmUpAnswered++;
      } else if (answered) latencies.push(performance.now() - due);
      else non2xx++;
    } catch {
      if (index >= warmUp) errors++;
    }
  };

  const startedAt = performance.now();
  const countedFrom = startedAt + warmUp * interval;
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      for (; next < total && startedAt + next * interval <= now; next++) {
        const request = send(next, startedAt + next * interval);
        pending.add(request);
        void request.finally(() => pending.delete(request));
      }
      if (next >= total) resolve();
      else setTimeout(tick, Math.max(0, startedAt + next * interval - performance.now()));
    };
    tick();
  });
  while (pending.size > 0) await Promise.all(pending);
  const elapsedMs = performance.now() - countedFrom;
  await Promise.all(clients.map((client) => client.close()));
  return {
    latencies: Float64Array.from(latencies),
    non2xx,
    errors,
    elapsedMs,
    warmUp: { sent: warmUp, answered2xx: warmUpAnswered },
  };
}
