/**
 * The gateway benchmark's report: the main table, the overheads against the direct runs with the
 * targets' verdicts, what the saturated target asks of the machine, and the paired comparison of
 * the settlement journal.
 */
import { availableParallelism } from 'node:os';

/** The targets for the gateway's overhead at 50 connections: p50 and p99, in ms. */
const TARGET_P50_MS = 2;
const TARGET_P99_MS = 10;

export type Target = 'direct' | 'bare' | 'mixgate';

/** Where a capture is durable when its response goes: in the database, or in the journal. */
export type PairVariant = 'database' | 'journal';

export interface GatewayBenchRow {
  target: Target;
  stream: boolean;
  connections: number;
  /** The paced runs' offered req/s; null for a saturated run (each connection sends as fast as it can). */
  rate: number | null;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** CPU per request of this process's main thread: the gateway (near zero on direct runs). */
  gatewayMicros: number;
  /** CPU per request of the PostgreSQL backends serving the gateway's pool. */
  postgresMicros: number;
  /** CPU per request of the fake upstream's process. */
  upstreamMicros: number;
  /** This process's main thread: its garbage collections, ms per second of run, and the longest. */
  gcMsPerSecond: number;
  gcLongestMs: number;
}

/** What the report says of the runs it prints. */
export interface ReportSettings {
  model: string;
  connections: number;
  seconds: number;
  warmUpSeconds: number;
  /** The modes run: streamed or not. */
  modes: readonly boolean[];
  /** The paired comparison's mode, rounds and run length. */
  pair: { stream: boolean; rounds: number; seconds: number };
}

/** The run of `target` in this mode, at these connections and load (rate null: saturated). */
function findRow(
  rows: readonly GatewayBenchRow[],
  run: Pick<GatewayBenchRow, 'target' | 'stream' | 'connections' | 'rate'>,
): GatewayBenchRow | undefined {
  return rows.find(
    (row) =>
      row.target === run.target &&
      row.stream === run.stream &&
      row.connections === run.connections &&
      row.rate === run.rate,
  );
}

export function printTables(rows: GatewayBenchRow[], settings: ReportSettings, verification: string): void {
  const { model, seconds, warmUpSeconds, connections, modes } = settings;
  const mode = (stream: boolean) => (stream ? 'stream' : 'non-stream');
  const load = (row: GatewayBenchRow) => (row.rate === null ? 'saturated' : `paced ${row.rate}/s`);
  console.log(
    `\nGateway overhead: ${model} against the OpenAI fake (separate process), ${seconds} s per run after ${warmUpSeconds} s of warm-up; latencies in ms; CPU in µs per request. Saturated: each connection sends its next request as soon as it has an answer (autocannon). Paced: the offered req/s spread evenly over the connections (bench/paced-load.ts), latency counted from when each request was due.\n`,
  );
  console.log(
    '| target | mode | connections | load | req/s | p50 ms | p99 ms | non-2xx | main thread CPU | PostgreSQL CPU | fake CPU | GC ms/s | longest GC ms |',
  );
  console.log('| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const cells = [
      row.target,
      mode(row.stream),
      row.connections,
      load(row),
      Math.round(row.requestsPerSecond),
      row.p50.toFixed(2),
      row.p99.toFixed(2),
      row.non2xx,
      row.target === 'direct' ? '' : Math.round(row.gatewayMicros),
      row.target === 'mixgate' ? Math.round(row.postgresMicros) : '',
      Math.round(row.upstreamMicros),
      row.target === 'direct' ? '' : row.gcMsPerSecond.toFixed(1),
      row.target === 'direct' ? '' : row.gcLongestMs.toFixed(1),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }

  console.log(
    '\n| through | mode | connections | load | p50 overhead ms | p99 overhead ms | throughput through / direct |',
  );
  console.log('| --- | --- | ---: | --- | ---: | ---: | ---: |');
  const verdicts = new Map<string, boolean>();
  for (const through of rows.filter((row) => row.target !== 'direct')) {
    const direct = findRow(rows, { ...through, target: 'direct' })!;
    const p50 = through.p50 - direct.p50;
    const p99 = through.p99 - direct.p99;
    // Judged at the targets' connection count; the floor's verdict is shown too, for reading Mixgate's.
    const judged = through.connections === connections;
    const verdict = (value: number, target: number) =>
      judged ? ` (${value < target ? 'PASS' : 'MISS'} < ${target})` : '';
    console.log(
      `| ${through.target} | ${mode(through.stream)} | ${through.connections} | ${load(through)} | ${p50.toFixed(2)}${verdict(p50, TARGET_P50_MS)} | ${p99.toFixed(2)}${verdict(p99, TARGET_P99_MS)} | ${(through.requestsPerSecond / direct.requestsPerSecond).toFixed(2)} |`,
    );
    if (judged && through.target === 'mixgate') {
      const met = p50 < TARGET_P50_MS && p99 < TARGET_P99_MS && through.non2xx === 0;
      verdicts.set(load(through), (verdicts.get(load(through)) ?? true) && met);
    }
  }
  const best = rows
    .filter((row) => row.target === 'mixgate')
    .reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a));
  const judgedLoads = [...verdicts].map(([label, met]) => `${label} ${met ? 'PASS' : 'MISS'}`).join(', ');
  console.log(
    `\nmost through Mixgate: ${Math.round(best.requestsPerSecond)} req/s (${mode(best.stream)}, ${best.connections} connections); targets at ${connections} connections: ${judgedLoads}`,
  );
  for (const stream of modes) printSaturationFloor(rows, stream, connections);
  console.log(`books: ${verification}`);
}

/**
 * What the p50 target asks of a saturated run, from the run's own numbers. Saturated, each
 * connection sends its next request as soon as it has an answer, so by Little's law a request's
 * latency is about connections / throughput: it is within the target of the direct run's only if
 * the gateway carries about connections / (direct p50 + target) requests a second. The CPU every
 * process spends on a request through Mixgate bounds what the machine's cores carry at all.
 */
function printSaturationFloor(rows: GatewayBenchRow[], stream: boolean, connections: number): void {
  const saturated = (target: Target) => findRow(rows, { target, stream, connections, rate: null });
  const direct = saturated('direct');
  const bare = saturated('bare');
  const mixgate = saturated('mixgate');
  if (!direct || !bare || !mixgate) return;
  const needed = (connections * 1000) / (direct.p50 + TARGET_P50_MS);
  const cpu = mixgate.gatewayMicros + mixgate.postgresMicros + mixgate.upstreamMicros;
  const cores = availableParallelism();
  console.log(
    `saturated ${stream ? 'stream' : 'non-stream'}: a p50 overhead under ${TARGET_P50_MS} ms needs about ` +
      `${Math.round(needed)} req/s through the gateway (${connections} connections / (direct p50 ` +
      `${direct.p50.toFixed(2)} + ${TARGET_P50_MS} ms)); the bare proxy carried ${Math.round(bare.requestsPerSecond)}, ` +
      `Mixgate ${Math.round(mixgate.requestsPerSecond)}, whose request costs ${Math.round(cpu)} µs of CPU ` +
      `(its thread, PostgreSQL, the fake), at most ${Math.round((cores * 1_000_000) / cpu)} req/s on ${cores} cores`,
  );
}

/** The alternated runs of one load, by where captures were durable. */
export interface PairComparison extends Record<PairVariant, GatewayBenchRow[]> {
  connections: number;
  rate?: number;
}

/** Medians of the alternated runs, and journal over database as ratios (lower latency and CPU is better). */
export function printPairComparison(
  comparisons: PairComparison[],
  rows: GatewayBenchRow[],
  pair: ReportSettings['pair'],
): void {
  if (comparisons.length === 0) return;
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  console.log(
    `\nCaptures committed in the database before the response, or journaled (SETTLEMENT_JOURNAL), ${pair.stream ? 'streamed' : 'non-stream'}, medians of ${pair.rounds} alternated runs of ${pair.seconds} s each; overhead against the direct run at the same load above:\n`,
  );
  console.log(
    '| load | captures | req/s | p50 ms | p99 ms | p50 overhead ms | main thread CPU µs/req | PostgreSQL CPU µs/req |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const comparison of comparisons) {
    const direct = findRow(rows, {
      target: 'direct',
      stream: pair.stream,
      connections: comparison.connections,
      rate: comparison.rate ?? null,
    });
    const connections = `${comparison.connections} conn${comparison.connections > 1 ? 's' : ''}`;
    const load = `${connections}, ${comparison.rate !== undefined ? `paced ${comparison.rate}/s` : 'saturated'}`;
    const summary = (variant: PairVariant) => ({
      rps: median(comparison[variant].map((row) => row.requestsPerSecond)),
      p50: median(comparison[variant].map((row) => row.p50)),
      p99: median(comparison[variant].map((row) => row.p99)),
      node: median(comparison[variant].map((row) => row.gatewayMicros)),
      postgres: median(comparison[variant].map((row) => row.postgresMicros)),
    });
    const [database, journal] = [summary('database'), summary('journal')];
    const overhead = (p50: number) => (direct ? (p50 - direct.p50).toFixed(2) : '');
    for (const [label, row] of [
      ['database', database],
      ['journal', journal],
    ] as const) {
      console.log(
        `| ${load} | ${label} | ${Math.round(row.rps)} | ${row.p50.toFixed(2)} | ${row.p99.toFixed(2)} | ${overhead(row.p50)} | ${Math.round(row.node)} | ${Math.round(row.postgres)} |`,
      );
    }
    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    console.log(
      `| ${load} | ratio | ${ratio(journal.rps, database.rps)} | ${ratio(journal.p50, database.p50)} | ${ratio(journal.p99, database.p99)} | ${direct ? ratio(journal.p50 - direct.p50, database.p50 - direct.p50) : ''} | ${ratio(journal.node, database.node)} | ${ratio(journal.postgres, database.postgres)} |`,
    );
  }
}
