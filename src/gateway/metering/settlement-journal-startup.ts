/**
 * Turns the settlement journal on for a serving process (SETTLEMENT_JOURNAL, see
 * src/ledger/journaled-settlements.ts): takes the journal's lock, commits what a crash left in it,
 * and puts the journaled queue in front of the gateway's settlements.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import {
  createJournaledSettlements,
  type JournaledSettlementsLog,
  replayJournal,
} from '../../ledger/journaled-settlements.js';
import { openSettlementJournal, readJournal } from '../../ledger/settlement-journal.js';
import type { GatewayServices } from '../gateway-services.js';
import { type GenerationRecord, generationRecordsSql } from './generation-record.js';

/**
 * Each journal is locked for as long as a process writes it, on a connection of its own, under a
 * key made from an identifier kept beside it: two servers sharing a data directory never replay or
 * empty each other's journal, while servers with data directories of their own each keep theirs.
 * PostgreSQL releases the lock when the process dies, however it dies, so a crash never leaves it
 * taken. (The seed differs from the other advisory locks': database.ts and record-security-event.ts
 * use the keys 7_325_011_001 and 002, request-lock.ts and publish-document.ts the seeds 003 and 015.)
 */
const JOURNAL_LOCK_SEED = 7_325_011_020;
/**
 * How long a starting server waits for its journal's lock: right after a crash, the dead
 * process's connection may hold it for a moment, and the journal must not be left unreplayed.
 */
const LOCK_WAIT_MS = 5_000;

export const SETTLEMENT_JOURNAL_FILE = 'settlement-journal.jsonl';
const JOURNAL_ID_FILE = 'settlement-journal.id';

export interface SettlementJournalHandle {
  /** Captures committed at start from what the last run left in the journal. */
  replayed: number;
  /** Commits what is journaled, empties the journal and gives the lock back. */
  close(): Promise<void>;
}

export function settlementJournalWanted(
  config: Pick<Config, 'SETTLEMENT_JOURNAL' | 'DATABASE_URL'>,
): boolean {
  return config.SETTLEMENT_JOURNAL === 'on' || (config.SETTLEMENT_JOURNAL === 'auto' && !config.DATABASE_URL);
}

/** Undefined when the journal is off, or another process holds it (this one then settles directly). */
export async function startSettlementJournal(input: {
  config: Pick<Config, 'SETTLEMENT_JOURNAL' | 'DATABASE_URL' | 'dataDir'>;
  db: Db;
  pool: pg.Pool;
  gateway: GatewayServices;
  now: () => Date;
  log: JournaledSettlementsLog;
}): Promise<SettlementJournalHandle | undefined> {
  const { config, gateway, log } = input;
  if (!settlementJournalWanted(config)) return undefined;
  const lock = new pg.Client(input.pool.options);
  // A lost connection only loses the lock; the journal goes on, and its replay is idempotent.
  lock.on('error', (error) => log.warn({ err: error }, 'the settlement journal lost its lock connection'));
  await lock.connect();
  try {
    await mkdir(config.dataDir, { recursive: true });
    if (!(await takeLock(lock, await journalId(config.dataDir)))) {
      log.warn(
        {},
        'another Mixgate process holds the settlement journal of this data directory; this one settles in the database',
      );
      await lock.end();
      return undefined;
    }
    const file = path.join(config.dataDir, SETTLEMENT_JOURNAL_FILE);
    const { entries, unreadable } = await readJournal<GenerationRecord>(file);
    const replayed = await replayJournal(input.db, entries, { recordsSql: generationRecordsSql, log });
    if (entries.length > 0 || unreadable > 0) {
      log.info(
        { entries: entries.length, committed: replayed, unreadable },
        'settlement journal replayed: captures a stop left uncommitted are now in the ledger',
      );
    }
    const journal = await openSettlementJournal<GenerationRecord>(file);
    await journal.truncate();
    const direct = gateway.settlements;
    const journaled = createJournaledSettlements(direct, journal, { now: input.now, log });
    gateway.settlements = journaled;
    return {
      replayed,
      async close() {
        await journaled.close();
        if (gateway.settlements === journaled) gateway.settlements = direct;
        await lock.end();
      },
    };
  } catch (error) {
    await lock.end().catch(() => {});
    throw error;
  }
}

/** The journal's identifier, made on first use: what its lock is named after. */
async function journalId(dataDir: string): Promise<string> {
  const file = path.join(dataDir, JOURNAL_ID_FILE);
  try {
    await writeFile(file, `${randomUUID()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return (await readFile(file, 'utf8')).trim();
}

async function takeLock(lock: pg.Client, id: string): Promise<boolean> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const { rows } = await lock.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, $2)) AS locked',
      [id, JOURNAL_LOCK_SEED],
    );
    if (rows[0]!.locked) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
