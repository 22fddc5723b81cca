import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeEntry,
  encodeEntry,
  type JournalEntry,
  openSettlementJournal,
  readJournal,
} from './settlement-journal.js';

interface Row {
  row: { id: string; cost: bigint; createdAt: Date; units: { images: number } | null };
}

const entry = (holdId: number, amount: bigint, record?: Row): JournalEntry<Row> => ({
  holdId,
  amount,
  at: new Date(`2026-12-04T10:00:0${holdId % 10}.123Z`),
  record,
});

describe('settlement journal', () => {
  it('gives back bigints and dates inside a record as themselves', () => {
    const original = entry(7, 123_456_789_012_345_678n, {
      row: {
        id: 'gen_1',
        cost: 9_007_199_254_740_993n,
        createdAt: new Date('2026-12-04T09:59:59.999Z'),
        units: null,
      },
    });
    const line = encodeEntry(original);
    expect(line).not.toContain('\n');
    expect(decodeEntry<Row>(line)).toEqual(original);
    expect(decodeEntry(line.slice(0, -3))).toBeUndefined();
    expect(decodeEntry('{"h":"7","a":{"$bigint":"1"},"t":{"$date":"2026-12-04T10:00:00Z"}}')).toBeUndefined();
  });

  it('keeps every appended entry across a reopen, in order, and groups the appends that wait', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'mg-journal-')), 'journal.jsonl');
    const journal = await openSettlementJournal<Row>(file);
    const entries = Array.from({ length: 50 }, (_, n) => entry(n + 1, BigInt(n) * 1000n));
    await Promise.all(entries.map((item) => journal.append(item)));
    expect(journal.size).toBe((await readFile(file)).length);
    await journal.close();
    const { entries: read, unreadable } = await readJournal<Row>(file);
    expect(unreadable).toBe(0);
    expect(read).toEqual(entries);

    const again = await openSettlementJournal<Row>(file);
    expect(again.size).toBe((await readFile(file)).length);
    await again.append(entry(99, 1n));
    expect((await readJournal<Row>(file)).entries.map((item) => item.holdId)).toEqual([
      ...entries.map((item) => item.holdId),
      99,
    ]);
    await again.truncate();
    expect(again.size).toBe(0);
    expect(await readJournal(file)).toEqual({ entries: [], unreadable: 0 });
    await again.append(entry(5, 5n));
    await again.close();
    expect((await readJournal<Row>(file)).entries).toEqual([entry(5, 5n)]);
  });

  it("empties the file only if the caller's test passes when the truncation's turn comes", async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'mg-journal-')), 'journal.jsonl');
    const journal = await openSettlementJournal<Row>(file);
    await journal.append(entry(1, 1n));
    // An append queued before the truncation is written first, and the test sees it written.
    let sizeWhenTested = 0;
    const appended = journal.append(entry(2, 2n));
    const truncated = journal.truncate(() => {
      sizeWhenTested = journal.size;
      return false;
    });
    await appended;
    expect(await truncated).toBe(false);
    expect(sizeWhenTested).toBe((await readFile(file)).length);
    expect((await readJournal<Row>(file)).entries.map((item) => item.holdId)).toEqual([1, 2]);
    expect(await journal.truncate(() => true)).toBe(true);
    expect(await readJournal(file)).toEqual({ entries: [], unreadable: 0 });
    await journal.close();
  });

  it('skips the tail a crash cut off and reads an absent journal as empty', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'mg-journal-'));
    const file = path.join(folder, 'journal.jsonl');
    expect(await readJournal(path.join(folder, 'none.jsonl'))).toEqual({ entries: [], unreadable: 0 });
    const whole = `${encodeEntry(entry(1, 10n))}\n${encodeEntry(entry(2, 20n))}\n`;
    const cut = encodeEntry(entry(3, 30n)).slice(0, 20);
    await writeFile(file, whole + cut);
    const { entries, unreadable } = await readJournal(file);
    expect(entries.map((item) => item.holdId)).toEqual([1, 2]);
    expect(unreadable).toBe(1);
    // A complete line that is not an entry (a cut line followed by an intact one is never written:
    // the journal stops taking entries after a failed write) counts as unreadable, not as an entry.
    await appendFile(file, `\n${encodeEntry(entry(4, 40n))}\n`);
    const after = await readJournal(file);
    expect(after.entries.map((item) => item.holdId)).toEqual([1, 2, 4]);
    expect(after.unreadable).toBe(1);
  });

  it('refuses every entry after a write fails, rather than append after a torn one', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'mg-journal-')), 'journal.jsonl');
    const journal = await openSettlementJournal<Row>(file);
    await journal.append(entry(1, 1n));
    // A closed file fails the write.
    await journal.close();
    await expect(journal.append(entry(2, 2n))).rejects.toThrow();
    await expect(journal.append(entry(3, 3n))).rejects.toThrow();
    expect((await readJournal<Row>(file)).entries.map((item) => item.holdId)).toEqual([1]);
  });
});
