/**
 * Ledger throughput: hold+post pairs per second (the hot path's two ledger writes) on the embedded
 * PostgreSQL (under MIXGATE_DATA_DIR, default .tmp/bench) and on the machine's PostgreSQL
 * (LEDGER_BENCH_EXTERNAL_URL, default postgres://postgres@127.0.0.1:5432/postgres; "off" skips it),
 * each in a fresh migrated database that is dropped afterwards.
 *
 *   clients   1 | 16 concurrent loops of placeHold (fast commit) then a capture
 *   wallets   one hot wallet | 1,000 wallets picked at random
 *   settle    direct postHold (one durable transaction each) | the shared settlement queue
 *             (group commit, DESIGN.md "Hot path budget") | holds group-committed too (the hold
 *             queue, as the gateway places them)
 *
 * Baselines in the same process and pool: SELECT 1 round trips, and committed single-row UPDATEs
 * of each client's own row (the server's durable commit rate) and of one shared row (a hot row).
 * CPU per operation is this Node process's and that of the PostgreSQL backends serving the bench
 * database (from /proc, so Linux only). Numbers are printed only when the ledger balances
 * afterwards: `checkLedger` finds nothing, every wallet holds its funding minus what was captured
 * and no hold is left open.
 *
 * `npm run bench` runs it after the HTTP benchmark; `tsx bench/ledger.ts` runs it alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { type Database, type Db, openDatabase } from '../src/db/database.js';
import { checkLedger } from '../src/ledger/check-ledger.js';
import { createHoldQueue } from '../src/ledger/hold-queue.js';
import { placeHold, postHold } from '../src/ledger/holds.js';
import { fundedTestWallet } from '../src/ledger/ledger-test-fixtures.js';
import { createSettlementQueue } from '../src/ledger/settlement-queue.js';

const SECONDS = Number(process.env.LEDGER_BENCH_SECONDS ?? 3);
const WARM_UP_SECONDS = Number(process.env.LEDGER_BENCH_WARM_UP_SECONDS ?? 0.5);
const EXTERNAL_URL = process.env.LEDGER_BENCH_EXTERNAL_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CONCURRENT_CLIENTS = 16;
const WALLET_COUNT = 1_000;
// One connection per client plus one for the settlement queue's batch.
const POOL_SIZE = Number(process.env.LEDGER_BENCH_POOL_SIZE ?? CONCURRENT_CLIENTS + 1);
const FUNDING = 1_000_000_000_000n;
const HOLD_AMOUNT = 1_000n;
const CAPTURED_AMOUNT = 700n;
const HOT = '1 (hot)';
const HISTORY_HOLDS = 20_000;

export interface LedgerBenchRow {
  database: string;
  clients: number;
  wallets: string;
  mode: string;
  perSecond: number;
  /** perSecond over the SELECT 1 baseline with as many clients. */
  ratio: number;
  p50: number;
  p99: number;
  /** CPU microseconds per operation: this Node process, and the bench database's backends. */
  nodeMicros: number;
  postgresMicros?: number;
  /** Settlements per batch transaction (settlement queue only). */
  batch?: number;
  /** Calls PostgreSQL aborted as deadlocked, retried with the same idempotency key. */
  deadlocks?: number;
}

type Run = Pick<LedgerBenchRow, 'perSecond' | 'p50' | 'p99' | 'nodeMicros' | 'postgresMicros'>;

interface CpuSnapshot {
  node: number;
  /** Microseconds per backend process id. */
  backends?: Map<number, number>;
}

/** CPU used so far by this process and by the PostgreSQL backends connected to `databaseName`. */
function cpuSnapshot(databaseName: string): CpuSnapshot {
  const usage = process.cpuUsage();
  const backends = new Map<number, number>();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // A backend's title is "postgres: <user> <database> <client> <state>".
        if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${databaseName} `)) continue;
        const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ');
        // utime and stime (fields 14 and 15 of stat), in ticks of 1/100 s.
        backends.set(Number(entry), (Number(fields[11]) + Number(fields[12])) * 10_000);
      } catch {
        // The process ended meanwhile.
      }
    }
  } catch {
    return { node: usage.user + usage.system };
  }
  return { node: usage.user + usage.system, backends };
}

/**
 * Runs `clients` loops of `operation` through a warm-up and the measured period; operations that
 * start after the warm-up and end within the period count. The first error stops every loop.
 */
async function runLoops(
  databaseName: string,
  clients: number,
  operation: (client: number) => Promise<void>,
): Promise<Run> {
  const measureFrom = performance.now() + WARM_UP_SECONDS * 1000;
  const until = measureFrom + SECONDS * 1000;
  const latencies: number[] = [];
  const snapshots: CpuSnapshot[] = [];
  const timers = [WARM_UP_SECONDS, WARM_UP_SECONDS + SECONDS].map((seconds) =>
    setTimeout(() => snapshots.push(cpuSnapshot(databaseName)), seconds * 1000),
  );
  let failure: unknown;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      for (let started = performance.now(); started < until && !failure; started = performance.now()) {
        try {
          await operation(client);
        } catch (error) {
          failure ??= error;
        }
        const finished = performance.now();
        if (started >= measureFrom && finished <= until) latencies.push(finished - started);
      }
    }),
  );
  for (const timer of timers) clearTimeout(timer);
  if (failure) throw failure;
  while (snapshots.length < 2) snapshots.push(cpuSnapshot(databaseName));
  const [start, end] = snapshots as [CpuSnapshot, CpuSnapshot];
  const count = Math.max(latencies.length, 1);
  let postgres: number | undefined;
  if (start.backends && end.backends) {
    postgres = 0;
    for (const [pid, micros] of end.backends) postgres += micros - (start.backends.get(pid) ?? 0);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    perSecond: latencies.length / SECONDS,
    p50: at(0.5),
    p99: at(0.99),
    nodeMicros: (end.node - start.node) / count,
    postgresMicros: postgres === undefined ? undefined : postgres / count,
  };
}

/** Retries an idempotent ledger call that PostgreSQL aborted to break a deadlock, counting it. */
async function retryingDeadlocks<T>(retries: { count: number }, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= 10 || sqlState(error) !== '40P01') throw error;
      retries.count++;
    }
  }
}

function sqlState(error: unknown): string | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if ('code' in cause && typeof cause.code === 'string') return cause.code;
  }
  return undefined;
}

/** Runs the baselines and every scenario on one database, then checks the ledger. */
async function benchDatabase(name: string, databaseName: string, db: Db): Promise<LedgerBenchRow[]> {
  const rows: LedgerBenchRow[] = [];
  const selectOne: Record<number, number> = {};
  const measure = (clients: number, operation: (client: number) => Promise<void>) =>
    runLoops(databaseName, clients, operation);

  await db.execute(sql`CREATE TABLE bench_counters (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0)`);
  await db.execute(sql`INSERT INTO bench_counters (id) SELECT generate_series(0, ${CONCURRENT_CLIENTS})`);
  const baselines: Array<[string, (client: number) => Promise<unknown>]> = [
    ['baseline: SELECT 1', () => db.execute(sql`SELECT 1`)],
    [
      'baseline: UPDATE own row',
      (client) => db.execute(sql`UPDATE bench_counters SET n = n + 1 WHERE id = ${client}`),
    ],
    [
      'baseline: UPDATE one shared row',
      () => db.execute(sql`UPDATE bench_counters SET n = n + 1 WHERE id = 0`),
    ],
  ];
  for (const clients of [1, CONCURRENT_CLIENTS]) {
    for (const [mode, operation] of baselines) {
      if (clients === 1 && mode.endsWith('shared row')) continue;
      const run = await measure(clients, async (client) => {
        await operation(client);
      });
      selectOne[clients] ??= run.perSecond;
      rows.push({
        database: name,
        clients,
        wallets: '-',
        mode,
        ratio: run.perSecond / selectOne[clients]!,
        ...run,
      });
    }
  }

  const wallets = await db.transaction(async (tx) => {
    const created: Array<{ userId: string; walletId: number }> = [];
    for (let n = 0; n < WALLET_COUNT; n++) created.push(await fundedTestWallet(tx, FUNDING));
    return created;
  });
  await addHistory(db);
  const perWallet = HISTORY_HOLDS / WALLET_COUNT;
  const captured = new Map<number, bigint>(wallets.map((wallet) => [wallet.walletId, BigInt(perWallet)]));
  let pairs = HISTORY_HOLDS;
  let sequence = 0;
  let batches: number[] = [];
  const queue = createSettlementQueue(db, { now: () => new Date(), onBatch: (size) => batches.push(size) });
  const holds = createHoldQueue(db);

  for (const clients of [1, CONCURRENT_CLIENTS]) {
    for (const spread of [false, true]) {
      for (const mode of ['direct postHold', 'settlement queue', 'hold and settlement queues'] as const) {
        batches = [];
        const retries = { count: 0 };
        const run = await measure(clients, async () => {
          const wallet = spread ? wallets[Math.floor(Math.random() * wallets.length)]! : wallets[0]!;
          const idempotencyKey = `bench:${process.pid}:${sequence++}`;
          const hold = await retryingDeadlocks(retries, () => {
            const now = new Date();
            const input = {
              wallet: { userId: wallet.userId },
              amount: HOLD_AMOUNT,
              idempotencyKey,
              expiresAt: new Date(now.getTime() + 600_000),
              now,
              actor: 'system',
              model: 'bench',
            };
            return mode === 'hold and settlement queues' ? holds.place(input) : placeHold(db, input);
          });
          await retryingDeadlocks(retries, () =>
            mode === 'direct postHold'
              ? postHold(db, hold.holdId, CAPTURED_AMOUNT, new Date())
              : queue.post(hold.holdId, CAPTURED_AMOUNT),
          );
          captured.set(wallet.walletId, captured.get(wallet.walletId)! + CAPTURED_AMOUNT);
          pairs++;
        });
        rows.push({
          database: name,
          clients,
          wallets: spread ? WALLET_COUNT.toLocaleString('en') : HOT,
          mode,
          ratio: run.perSecond / selectOne[clients]!,
          batch: batches.length > 0 ? batches.reduce((a, b) => a + b, 0) / batches.length : undefined,
          deadlocks: retries.count,
          ...run,
        });
      }
    }
  }
  await queue.drain();
  await verifyLedger(db, captured, pairs);
  return rows;
}

/**
 * Gives the ledger a history (HISTORY_HOLDS captures of 1 micro, spread evenly over the wallets)
 * and the statistics autovacuum would have gathered by then: on a fresh database the planner
 * expects empty tables and scans them whole, which is not the steady state being measured.
 */
async function addHistory(db: Db): Promise<void> {
  await db.execute(sql`
    SELECT ledger_place_hold(a.user_id, NULL, 1, 1, 'history:' || n || ':' || a.id, 'system',
                             now() + interval '1 hour', now(), 'bench', NULL, NULL, NULL, NULL, NULL, NULL, true)
      FROM generate_series(1, ${HISTORY_HOLDS / WALLET_COUNT}) AS n, ledger_accounts a
     WHERE a.kind = 'user_wallet'`);
  await db.execute(sql`
    SELECT count(*) FROM ledger_settle_holds((SELECT array_agg(id) FROM ledger_holds),
      (SELECT array_agg(1::bigint) FROM ledger_holds), 'posted', now(), false)`);
  await db.execute(sql`VACUUM ANALYZE`);
}

/** Throws unless the ledger is sound and holds exactly what the benchmark did to it. */
async function verifyLedger(db: Db, captured: Map<number, bigint>, pairs: number): Promise<void> {
  const problems = [...(await checkLedger(db)).problems];
  const accounts = await db.execute<{ id: string; balance: string; held: string }>(
    sql`SELECT id, balance, held FROM ledger_accounts WHERE kind = 'user_wallet'`,
  );
  for (const account of accounts.rows) {
    const spent = captured.get(Number(account.id));
    const expected = spent === undefined ? undefined : FUNDING - spent;
    if (BigInt(account.balance) !== expected || account.held !== '0') {
      problems.push(
        `wallet ${account.id}: balance ${account.balance} held ${account.held}, expected ${expected} held 0`,
      );
    }
  }
  if (accounts.rows.length !== captured.size)
    problems.push(`${accounts.rows.length} wallets, not ${captured.size}`);
  const usage = await db.execute<{ count: string; open: string }>(sql`
    SELECT (SELECT count(*) FROM ledger_transfers WHERE kind = 'usage') AS count,
           (SELECT count(*) FROM ledger_holds WHERE status = 'open') AS open`);
  const { count, open } = usage.rows[0]!;
  if (Number(count) !== pairs) problems.push(`${count} usage transfers for ${pairs} hold+post pairs`);
  if (open !== '0') problems.push(`${open} holds left open`);
  if (problems.length > 0) throw new Error(`ledger check failed:\n  ${problems.slice(0, 20).join('\n  ')}`);
}

/** Creates a fresh migrated database on the server at `serverUrl`, benches it and drops it. */
async function onFreshDatabase(name: string, serverUrl: string, dataDir: string): Promise<LedgerBenchRow[]> {
  const databaseName = `mixgate_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${databaseName}`);
    const url = new URL(serverUrl);
    url.pathname = `/${databaseName}`;
    let database: Database | undefined;
    try {
      database = await openDatabase({ DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: POOL_SIZE, dataDir });
      return await benchDatabase(name, databaseName, database.db);
    } finally {
      await database?.close();
      await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Benches the embedded PostgreSQL under `dataDir` (stopped afterwards if started here) and the machine's. */
export async function runLedgerBench(options: { dataDir: string }): Promise<LedgerBenchRow[]> {
  const rows: LedgerBenchRow[] = [];
  const notes: string[] = [];
  const embedded = await openDatabase(
    { DATABASE_URL: undefined, DATABASE_POOL_SIZE: 1, dataDir: options.dataDir },
    { migrate: false },
  );
  try {
    rows.push(...(await onFreshDatabase('embedded', embedded.connectionString, options.dataDir)));
  } finally {
    await embedded.close({ stopEmbedded: true });
  }
  if (EXTERNAL_URL === 'off') {
    notes.push('machine PostgreSQL skipped (LEDGER_BENCH_EXTERNAL_URL=off)');
  } else if (!(await reachable(EXTERNAL_URL))) {
    notes.push(`machine PostgreSQL skipped: ${EXTERNAL_URL} is unreachable`);
  } else {
    rows.push(...(await onFreshDatabase('machine', EXTERNAL_URL, options.dataDir)));
  }
  printTable(rows, notes);
  return rows;
}

function printTable(rows: LedgerBenchRow[], notes: string[]): void {
  console.log(
    `\nLedger: placeHold (fast commit) + capture per pair, ${SECONDS} s each after ${WARM_UP_SECONDS} s of warm-up, pool of ${POOL_SIZE}; ratio to SELECT 1 with as many clients; CPU in µs per operation\n`,
  );
  console.log(
    '| database | clients | wallets | settle mode | pairs/s | ratio to baseline | p50 ms | p99 ms | batch | deadlocks | Node CPU | PostgreSQL CPU |',
  );
  console.log('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const cells = [
      row.database,
      row.clients,
      row.wallets,
      row.mode,
      Math.round(row.perSecond),
      row.ratio.toFixed(2),
      row.p50.toFixed(2),
      row.p99.toFixed(2),
      row.batch?.toFixed(1) ?? '',
      row.deadlocks ?? '',
      Math.round(row.nodeMicros),
      row.postgresMicros === undefined ? '' : Math.round(row.postgresMicros),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  for (const note of notes) console.log(`\n${note}`);
  for (const database of new Set(rows.map((row) => row.database))) {
    const best = (spread: boolean) =>
      Math.max(
        ...rows
          .filter(
            (row) => row.database === database && row.wallets !== '-' && (row.wallets === HOT) !== spread,
          )
          .map((row) => row.perSecond),
      );
    const [hot, spread] = [best(false), best(true)];
    console.log(
      `\n${database}: best on one hot wallet ${Math.round(hot)} pairs/s (target 2,000: ${hot >= 2000 ? 'met' : 'missed'}); best over ${WALLET_COUNT.toLocaleString('en')} wallets ${Math.round(spread)} pairs/s (target 5,000: ${spread >= 5000 ? 'met' : 'missed'})`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await runLedgerBench({ dataDir: path.resolve(process.env.MIXGATE_DATA_DIR ?? '.tmp/bench') });
}
