/**
 * A server killed (SIGKILL) after it reported costs that were only in its settlement journal:
 * the next start commits every one of them, to the micro, before it takes a request.
 * The database is held back from committing the captures by a lock on the usage table, so the
 * kill always comes between the journal and the database, never by luck of timing.
 */
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/accounts/api-keys.js';
import { generations, ledgerHolds } from '../src/db/schema/index.js';
import type { GenerationRecord } from '../src/gateway/metering/generation-record.js';
import { SETTLEMENT_JOURNAL_FILE } from '../src/gateway/metering/settlement-journal-startup.js';
import { checkLedger } from '../src/ledger/check-ledger.js';
import { fundedTestWallet } from '../src/ledger/ledger-test-fixtures.js';
import { readBalance } from '../src/ledger/read-balance.js';
import { readJournal } from '../src/ledger/settlement-journal.js';
import { formatAmount, parseAmount } from '../src/lib/money.js';
import { type RunningServer, startServer, stopServer } from './mixgate-process.js';
import { streamedCost } from './studio-test-app.js';
import { createTestDatabase } from './test-database.js';

const database = await createTestDatabase();
let dataDir = '';
let env: Record<string, string> = {};
const servers: RunningServer[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'mg-journal-e2e-'));
  await chmod(dataDir, 0o755);
  env = { DATABASE_URL: database.url, SETTLEMENT_JOURNAL: 'on', JOBS_ENABLED: 'false', LOG_LEVEL: 'info' };
});

afterAll(async () => {
  for (const server of servers) {
    if (!server.exited) process.kill(server.pid, 'SIGKILL');
    await server.exit;
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function start(): Promise<RunningServer> {
  const server = await startServer(dataDir, { env, onSpawn: (spawned) => servers.push(spawned) });
  return server;
}

async function chat(server: RunningServer, key: string, stream: boolean) {
  const response = await fetch(`${server.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'local/echo',
      messages: [{ role: 'user', content: 'Remember what this costs.' }],
      max_tokens: 60,
      stream,
      ...(stream && { stream_options: { include_usage: true } }),
    }),
  });
  expect(response.status).toBe(200);
  const id = response.headers.get('x-mixgate-generation-id')!;
  const text = await response.text();
  if (!stream)
    return { id, cost: parseAmount(String((JSON.parse(text) as { usage: { cost: number } }).usage.cost)) };
  return { id, cost: streamedCost(text) };
}

describe.sequential('settlement journal across a crash', () => {
  it('commits at the next start every cost a killed server reported', async () => {
    const { userId } = await fundedTestWallet(database.db, 20_000_000n);
    const { key } = await createApiKey(database.db, { userId, name: 'journal crash' }, null, new Date());
    const first = await start();

    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    const answers: Array<{ id: string; cost: bigint }> = [];
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE generations IN SHARE ROW EXCLUSIVE MODE');
      for (const stream of [false, true, false, true, false]) answers.push(await chat(first, key, stream));
      await stopServer(first, 'SIGKILL');
      // The dead server's settlement statement still waits for the lock in its backend, and would
      // commit once the lock goes. End it, as a crash of the whole machine would.
      await blocker.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`,
      );
    } finally {
      await blocker.query('ROLLBACK').catch(() => {});
      await blocker.end();
    }
    // Every cost was reported; the journal has them, to the micro, and the database none.
    const { entries } = await readJournal<GenerationRecord>(path.join(dataDir, SETTLEMENT_JOURNAL_FILE));
    expect(entries.map((entry) => ({ id: entry.record!.row.id, cost: entry.amount }))).toEqual(answers);
    const holdIds = entries.map((entry) => entry.holdId);
    const ids = answers.map((answer) => answer.id);
    expect(await database.db.select().from(generations).where(inArray(generations.id, ids))).toEqual([]);
    const openHolds = await database.db
      .select({ status: ledgerHolds.status })
      .from(ledgerHolds)
      .where(inArray(ledgerHolds.id, holdIds));
    expect(openHolds.map((hold) => hold.status)).toEqual(ids.map(() => 'open'));

    const second = await start();
    expect(second.output()).toContain('committed 5 capture(s) left in the settlement journal');
    for (const [n, { id, cost }] of answers.entries()) {
      const [row] = await database.db
        .select({ cost: generations.cost, status: generations.status })
        .from(generations)
        .where(eq(generations.id, id));
      expect(row).toEqual({ cost, status: 'succeeded' });
      const [hold] = await database.db
        .select({ status: ledgerHolds.status, postedAmount: ledgerHolds.postedAmount })
        .from(ledgerHolds)
        .where(eq(ledgerHolds.id, holdIds[n]!));
      expect(hold).toEqual({ status: 'posted', postedAmount: cost });
    }
    const details = await fetch(`${second.baseUrl}/v1/generations/${ids[0]}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(((await details.json()) as { data: { cost: string } }).data.cost).toBe(
      formatAmount(answers[0]!.cost),
    );
    // Emptied once replayed.
    expect(await readFile(path.join(dataDir, SETTLEMENT_JOURNAL_FILE), 'utf8')).toBe('');

    // A third start finds nothing to replay: nothing is captured twice.
    await stopServer(second);
    const third = await start();
    expect(third.output()).not.toContain('left in the settlement journal');
    await stopServer(third);
    const spent = answers.reduce((sum, answer) => sum + answer.cost, 0n);
    const balance = await readBalance(database.db, { userId });
    // Holds the killed server had placed ahead stay open until they expire; the captures are exact.
    expect(balance.balance).toBe(20_000_000n - spent);
    expect((await checkLedger(database.db)).ok).toBe(true);
  });
});
