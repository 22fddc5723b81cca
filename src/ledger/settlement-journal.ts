/**
 * The settlement journal: an append-only file of captures, each durable on disk (O_DSYNC) before
 * its cost may be reported to a client, applied to PostgreSQL behind the response and replayed at
 * the next start after a crash. See journaled-settlements.ts for why and how it is used.
 *
 * One line per capture, JSON with bigint and Date values tagged so they come back as themselves.
 * Appends that arrive while a write is on the disk go together in the next write (group commit),
 * so under load one disk flush serves many requests, as one WAL flush does for a settlement batch.
 */
import { constants } from 'node:fs';
import { type FileHandle, open, readFile } from 'node:fs/promises';

export interface JournalEntry<R> {
  holdId: number;
  amount: bigint;
  /** When the capture was decided: the settlement's time when it is replayed. */
  at: Date;
  record?: R;
}

export interface SettlementJournal<R> {
  /** Resolves once the entry is on disk; rejects (and stops taking entries) when the disk refuses. */
  append(entry: JournalEntry<R>): Promise<void>;
  /**
   * Empties the file after the writes queued before it, if `when` (checked at that moment, when no
   * write can come between) allows: the caller's test that everything written is applied.
   * Resolves whether it emptied the file.
   */
  truncate(when?: () => boolean): Promise<boolean>;
  /** Bytes written since the file was last emptied. */
  readonly size: number;
  close(): Promise<void>;
}

interface Waiting {
  line: string;
  resolve(): void;
  reject(error: unknown): void;
}

/** Opens (creating if needed) the journal for appending; read what it holds first with readJournal. */
export async function openSettlementJournal<R>(path: string): Promise<SettlementJournal<R>> {
  // O_DSYNC: each write returns once its data is on disk, one system call instead of two. Where
  // the platform lacks it (Windows), an fdatasync follows each write instead.
  const dsync = constants.O_DSYNC ?? 0;
  const file = await open(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | dsync, 0o600);
  let size = (await file.stat()).size;
  let waiting: Waiting[] = [];
  const truncations: Array<{
    when?: () => boolean;
    resolve(done: boolean): void;
    reject(error: unknown): void;
  }> = [];
  let running: Promise<void> | undefined;
  let broken: unknown;

  function kick(): void {
    running ??= run().finally(() => {
      running = undefined;
      if (waiting.length > 0 || truncations.length > 0) kick();
    });
  }

  async function run(): Promise<void> {
    while (waiting.length > 0 || truncations.length > 0) {
      if (waiting.length > 0) {
        const batch = waiting;
        waiting = [];
        try {
          if (broken) throw broken;
          await writeAll(file, batch.map((item) => item.line).join(''));
          if (!dsync) await file.datasync();
          size += batch.reduce((sum, item) => sum + Buffer.byteLength(item.line), 0);
          for (const item of batch) item.resolve();
        } catch (error) {
          // A torn write may have left part of a line: nothing more goes after it this run.
          broken ??= error;
          for (const item of batch) item.reject(error);
        }
      } else {
        const item = truncations.shift()!;
        try {
          const allowed = !broken && (item.when?.() ?? true);
          if (allowed) {
            await file.truncate(0);
            size = 0;
          }
          item.resolve(allowed);
        } catch (error) {
          item.reject(error);
        }
      }
    }
  }

  return {
    append(entry) {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ line: `${encodeEntry(entry)}\n`, resolve, reject });
        kick();
      });
    },
    truncate(when) {
      return new Promise<boolean>((resolve, reject) => {
        truncations.push({ when, resolve, reject });
        kick();
      });
    },
    get size() {
      return size;
    },
    async close() {
      while (running) await running;
      await file.close();
    },
  };
}

async function writeAll(file: FileHandle, text: string): Promise<void> {
  const bytes = Buffer.from(text);
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Every whole entry in the journal, oldest first, and how many lines could not be read: the tail
 * of a write cut by a crash, whose captures were never reported (their append had not resolved).
 */
export async function readJournal<R>(
  path: string,
): Promise<{ entries: JournalEntry<R>[]; unreadable: number }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], unreadable: 0 };
    throw error;
  }
  const entries: JournalEntry<R>[] = [];
  let unreadable = 0;
  const lines = text.split('\n');
  // Only a line that ends in a newline was written whole.
  lines.pop();
  for (const line of lines) {
    if (line === '') continue;
    const entry = decodeEntry<R>(line);
    if (entry) entries.push(entry);
    else unreadable++;
  }
  if (!text.endsWith('\n') && text.length > 0) unreadable++;
  return { entries, unreadable };
}

export function encodeEntry<R>(entry: JournalEntry<R>): string {
  return JSON.stringify(
    { h: entry.holdId, a: entry.amount, t: entry.at, r: entry.record },
    function (this: Record<string, unknown>, key: string, value: unknown) {
      // Date.toJSON has already run on `value`; the original is still on the holder.
      const raw = this[key];
      if (raw instanceof Date) return { $date: raw.toISOString() };
      if (typeof value === 'bigint') return { $bigint: value.toString() };
      return value;
    },
  );
}

export function decodeEntry<R>(line: string): JournalEntry<R> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line, (_key, value: unknown) => {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const tagged = value as { $date?: unknown; $bigint?: unknown };
        const keys = Object.keys(value);
        if (keys.length === 1 && typeof tagged.$date === 'string') return new Date(tagged.$date);
        if (keys.length === 1 && typeof tagged.$bigint === 'string') return BigInt(tagged.$bigint);
      }
      return value;
    });
  } catch {
    return undefined;
  }
  const entry = parsed as { h?: unknown; a?: unknown; t?: unknown; r?: R };
  if (typeof entry.h !== 'number' || typeof entry.a !== 'bigint' || !(entry.t instanceof Date)) {
    return undefined;
  }
  return { holdId: entry.h, amount: entry.a, at: entry.t, record: entry.r };
}
