import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { exportTransactionsCsv, TRANSACTIONS_CSV_COLUMNS, textCell } from './export-transactions-csv.js';
import { placeHold, postHold } from './holds.js';
import { fundedTestWallet, insertLedgerTestUser } from './ledger-test-fixtures.js';
import type { TransactionFilters } from './list-transactions.js';
import { SYSTEM_ACCOUNTS, type WalletOwner } from './system-accounts.js';
import { transfer } from './transfer.js';

const database = await createTestDatabase();
const db = database.db;
const start = new Date('2026-04-01T08:00:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);

/** RFC 4180 records back into cells, to check that what was written reads back the same. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  const cell = /("(?:[^"]|"")*"|[^",\r\n]*)(,|\r\n)/gy;
  let record: string[] = [];
  let match = cell.exec(text);
  while (match) {
    const raw = match[1]!;
    record.push(raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw);
    if (match[2] === '\r\n') {
      records.push(record);
      record = [];
    }
    if (cell.lastIndex === text.length) return records;
    match = cell.exec(text);
  }
  throw new Error(`not RFC 4180 CSV at ${cell.lastIndex}`);
}

async function csvOf(owner: WalletOwner, filters: TransactionFilters = {}, pageSize?: number) {
  const chunks: string[] = [];
  for await (const chunk of exportTransactionsCsv(db, owner, filters, 'EUR', pageSize)) chunks.push(chunk);
  return chunks;
}

describe('textCell', () => {
  it('quotes cells holding a comma, a quote or a line break, doubling the quotes', () => {
    expect(textCell('plain text')).toBe('plain text');
    expect(textCell('a,b')).toBe('"a,b"');
    expect(textCell('say "hi"')).toBe('"say ""hi"""');
    expect(textCell('two\nlines')).toBe('"two\nlines"');
    expect(textCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(textCell(null)).toBe('');
    expect(textCell('')).toBe('');
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ])('defuses %j, which a spreadsheet would run as a formula', (value, cell) => {
    expect(textCell(value)).toBe(cell);
  });

  it('leaves text that only contains those characters later alone', () => {
    expect(textCell('gpt-4o=best')).toBe('gpt-4o=best');
  });
});

describe('exportTransactionsCsv', () => {
  it('writes a header and one row per transfer, newest first, amounts as plain signed decimals', async () => {
    const apiKeyId = randomUUID();
    const { userId, walletId } = await fundedTestWallet(db, 5_000_000n, at(0));
    const hold = await placeHold(db, {
      wallet: { userId },
      amount: 10_000n,
      idempotencyKey: randomUUID(),
      expiresAt: at(60),
      now: at(1),
      actor: 'system',
      model: '=cmd|"/c calc"!A1',
      apiKeyId,
    });
    const posted = await postHold(db, hold.holdId, 1_250n, at(2));
    const manual = await transfer(db, {
      debitAccountId: walletId,
      creditAccountId: SYSTEM_ACCOUNTS.manual_adjustments,
      amount: 2_000_000n,
      kind: 'manual_debit',
      idempotencyKey: randomUUID(),
      reason: '-2, as agreed\non the phone',
      actor: 'staff:1',
      now: at(3),
    });

    const text = (await csvOf({ userId })).join('');
    const records = parseCsv(text);
    expect(records[0]).toEqual([...TRANSACTIONS_CSV_COLUMNS]);
    expect(records.slice(1)).toEqual([
      [
        '2026-04-01T08:03:00.000Z',
        'manual_debit',
        'debit',
        '-2.000000',
        'EUR',
        '',
        '',
        '',
        "'-2, as agreed\non the phone",
        String(manual.transferId),
      ],
      [
        '2026-04-01T08:02:00.000Z',
        'usage',
        'debit',
        '-0.001250',
        'EUR',
        `'=cmd|"/c calc"!A1`,
        apiKeyId,
        '',
        '',
        String(posted.transferId),
      ],
      ['2026-04-01T08:00:00.000Z', 'top_up', 'credit', '5.000000', 'EUR', '', '', '', '', expect.any(String)],
    ]);
    // The amount column is written bare, so spreadsheets read it as a number.
    expect(text).toContain(',debit,-0.001250,EUR,');
  });

  it('applies the filters and reads in chunks of the page size', async () => {
    const { userId, walletId } = await fundedTestWallet(db, 1_000_000n, at(0));
    for (let index = 1; index <= 4; index++) {
      await transfer(db, {
        debitAccountId: SYSTEM_ACCOUNTS.promotions,
        creditAccountId: walletId,
        amount: BigInt(index),
        kind: 'promotion',
        idempotencyKey: randomUUID(),
        actor: 'system',
        now: at(index),
      });
    }
    const chunks = await csvOf({ userId }, { kinds: ['promotion'], to: at(4) }, 2);
    expect(chunks).toHaveLength(3);
    expect(parseCsv(chunks.join('')).map((record) => record[3])).toEqual([
      'amount',
      '0.000003',
      '0.000002',
      '0.000001',
    ]);
    expect(chunks.join('')).toBe((await csvOf({ userId }, { kinds: ['promotion'], to: at(4) })).join(''));
  });

  it('writes only the header for an owner who never had a wallet', async () => {
    const userId = await insertLedgerTestUser(db);
    expect(await csvOf({ userId })).toEqual([`${TRANSACTIONS_CSV_COLUMNS.join(',')}\r\n`]);
  });
});
