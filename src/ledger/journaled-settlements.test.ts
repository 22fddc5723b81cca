import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { ledgerHolds } from '../db/schema/index.js';
import { checkLedger } from './check-ledger.js';
import { placeHold, voidHold } from './holds.js';
import { createJournaledSettlements, replayJournal } from './journaled-settlements.js';
import { fundedTestWallet } from './ledger-test-fixtures.js';
import { readBalance } from './read-balance.js';
import { openSettlementJournal, readJournal, type SettlementJournal } from './settlement-journal.js';
import { createSettlementQueue, type SettlementQueue } from './settlement-queue.js';

const database = await createTestDatabase();
const db = database.db;
const now = new Date('2026-12-04T12:00:00Z');

async function openHolds(userId: string, count: number, tag: string): Promise<number[]> {
  const ids: number[] = [];
  for (let n = 0; n < count; n++) {
    const hold = await placeHold(db, {
      wallet: { userId },
      amount: 1_000_000n,
      idempotencyKey: `${tag}-${n}-${userId}`,
      expiresAt: new Date(now.getTime() + 60_000),
      now,
      actor: 'system',
    });
    ids.push(hold.holdId);
  }
  return ids;
}

async function holdOf(holdId: number) {
  const [row] = await db
    .select({
      status: ledgerHolds.status,
      postedAmount: ledgerHolds.postedAmount,
      resolvedAt: ledgerHolds.resolvedAt,
    })
    .from(ledgerHolds)
    .where(eq(ledgerHolds.id, holdId));
  return row!;
}

function testLog() {
  return { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
}

/** The real settlement queue, whose posts wait until `open()`: the database "behind" the journal. */
function gatedQueue(): SettlementQueue & { open(): void } {
  const queue = createSettlementQueue(db, { now: () => now });
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    ...queue,
    async post(holdId, amount) {
      await gate;
      return queue.post(holdId, amount);
    },
    open,
  };
}

async function journalIn(): Promise<{ file: string; journal: SettlementJournal<never> }> {
  const file = path.join(await mkdtemp(path.join(tmpdir(), 'mg-journal-')), 'settlement-journal.jsonl');
  return { file, journal: await openSettlementJournal<never>(file) };
}

describe('journaled settlements', () => {
  it('reports a capture once it is on disk, commits it behind, and lets a read wait for it', async () => {
    const { userId } = await fundedTestWallet(db, 10_000_000n);
    const [holdId] = await openHolds(userId, 1, 'behind');
    const queue = gatedQueue();
    const { file, journal } = await journalIn();
    const settlements = createJournaledSettlements(queue, journal, { now: () => now, log: testLog() });

    const result = await settlements.post(holdId!, 400_000n);
    expect(result).toMatchObject({ holdId, outcome: 'posted', postedAmount: 400_000n });
    // Reported, durable in the journal, not yet in the database.
    expect((await readJournal(file)).entries).toEqual([
      { holdId, amount: 400_000n, at: now, record: undefined },
    ]);
    expect(await holdOf(holdId!)).toMatchObject({ status: 'open' });
    expect(settlements.pending).toBe(1);

    let committed = false;
    const read = settlements.committed().then(() => {
      committed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(committed).toBe(false);
    queue.open();
    await read;
    expect(settlements.pending).toBe(0);
    expect(await holdOf(holdId!)).toMatchObject({ status: 'posted', postedAmount: 400_000n });
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 9_600_000n, held: 0n });

    // Closing empties the journal: everything in it is in the database.
    await settlements.close();
    expect(await readFile(file, 'utf8')).toBe('');
  });

  it('empties the journal once all of it is committed and it has been quiet for a second', async () => {
    const { userId } = await fundedTestWallet(db, 10_000_000n);
    const ids = await openHolds(userId, 5, 'quiet');
    const { file, journal } = await journalIn();
    const settlements = createJournaledSettlements(createSettlementQueue(db, { now: () => now }), journal, {
      now: () => now,
      log: testLog(),
    });
    await Promise.all(ids.map((holdId, n) => settlements.post(holdId, BigInt(n) * 1000n)));
    await settlements.committed();
    expect((await readJournal(file)).entries).toHaveLength(5);
    await vi.waitFor(async () => expect(await readFile(file, 'utf8')).toBe(''), {
      timeout: 3_000,
      interval: 50,
    });
    expect(journal.size).toBe(0);
    for (const [n, holdId] of ids.entries()) {
      expect(await holdOf(holdId)).toMatchObject({ status: 'posted', postedAmount: BigInt(n) * 1000n });
    }
    await settlements.close();
  });

  it('logs a capture the ledger refuses instead of retrying it, and still empties the journal', async () => {
    const { userId } = await fundedTestWallet(db, 10_000_000n);
    const [holdId] = await openHolds(userId, 1, 'refused');
    await voidHold(db, holdId!, now);
    const { file, journal } = await journalIn();
    const log = testLog();
    const settlements = createJournaledSettlements(createSettlementQueue(db, { now: () => now }), journal, {
      now: () => now,
      log,
    });
    await settlements.post(holdId!, 1n);
    await settlements.committed();
    expect(log.warn).toHaveBeenCalledWith(
      { holdId, code: 'conflict' },
      'a journaled capture was refused by the ledger',
    );
    expect(await holdOf(holdId!)).toMatchObject({ status: 'voided' });
    await settlements.close();
    expect(await readFile(file, 'utf8')).toBe('');
  });

  it('retries a capture the database could not take, and keeps in the journal one it never took', async () => {
    const { userId } = await fundedTestWallet(db, 10_000_000n);
    const [flaky, down] = await openHolds(userId, 2, 'retry');
    const real = createSettlementQueue(db, { now: () => now });
    let failures = 0;
    const queue: SettlementQueue = {
      ...real,
      async post(holdId, amount) {
        if (holdId === down || (holdId === flaky && failures++ < 2)) throw new Error('connection terminated');
        return real.post(holdId, amount);
      },
    };
    const { file, journal } = await journalIn();
    const log = testLog();
    const settlements = createJournaledSettlements(queue, journal, { now: () => now, log });
    await settlements.post(flaky!, 10n);
    await settlements.committed();
    expect(await holdOf(flaky!)).toMatchObject({ status: 'posted', postedAmount: 10n });

    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      await settlements.post(down!, 20n);
      const given = settlements.committed();
      await vi.runAllTimersAsync();
      await given;
    } finally {
      vi.useRealTimers();
    }
    expect(log.error).toHaveBeenCalledWith(
      expect.objectContaining({ holdId: down }),
      'a journaled capture could not be committed; the next start replays it',
    );
    await settlements.close();
    // Not emptied: the next start commits it.
    expect((await readJournal(file)).entries.map((entry) => entry.holdId)).toEqual([flaky, down]);
    expect(await replayJournal(db, (await readJournal(file)).entries, { log })).toBe(1);
    expect(await holdOf(down!)).toMatchObject({ status: 'posted', postedAmount: 20n });
  });

  it('settles in the database from the first write the disk refuses on', async () => {
    const { userId } = await fundedTestWallet(db, 10_000_000n);
    const [first, second] = await openHolds(userId, 2, 'disk');
    const append = vi.fn(async () => {
      throw new Error('ENOSPC: no space left on device');
    });
    const journal: SettlementJournal<never> = {
      append,
      truncate: async () => true,
      size: 0,
      close: async () => {},
    };
    const log = testLog();
    const settlements = createJournaledSettlements(createSettlementQueue(db, { now: () => now }), journal, {
      now: () => now,
      log,
    });
    // Resolved only once committed in the database, as without a journal.
    expect(await settlements.post(first!, 5n)).toMatchObject({ outcome: 'posted' });
    expect(await holdOf(first!)).toMatchObject({ status: 'posted', postedAmount: 5n });
    expect(await settlements.post(second!, 6n)).toMatchObject({ outcome: 'posted' });
    expect(await holdOf(second!)).toMatchObject({ status: 'posted', postedAmount: 6n });
    expect(append).toHaveBeenCalledTimes(1);
    expect(log.error).toHaveBeenCalledTimes(1);
    await settlements.close();
  });

  it('replays what a crash left in the journal at its own time, once', async () => {
    const { userId } = await fundedTestWallet(db, 10_000_000n);
    const ids = await openHolds(userId, 3, 'replay');
    const { file, journal } = await journalIn();
    // A crash between the journal and the database: entries written, nothing applied.
    const at = new Date(now.getTime() + 1_234);
    for (const [n, holdId] of ids.entries())
      await journal.append({ holdId, amount: BigInt(n + 1) * 100n, at });
    await journal.close();
    const { entries } = await readJournal(file);
    const log = testLog();
    expect(await replayJournal(db, entries, { log })).toBe(3);
    for (const [n, holdId] of ids.entries()) {
      expect(await holdOf(holdId)).toMatchObject({
        status: 'posted',
        postedAmount: BigInt(n + 1) * 100n,
        resolvedAt: at,
      });
    }
    // Again (a crash during the replay, or before the journal was emptied): nothing changes.
    expect(await replayJournal(db, entries, { log })).toBe(0);
    expect(log.warn).not.toHaveBeenCalled();
    expect(await readBalance(db, { userId })).toMatchObject({ balance: 10_000_000n - 600n, held: 0n });
    expect((await checkLedger(db)).ok).toBe(true);
  });
});
