import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * No `number` ever holds money (CONVENTIONS.md §5): a double loses micros above 2^53 and invites
 * float arithmetic. This scans the sources for declarations and conversions whose name says money.
 */

const MONEY_WORD = /amount|micros|balance|price|cost|credit|held|spent/i;
// `name: number`, `name?: number`, `name: number[]`; the name is captured whole.
const NUMBER_DECLARATION = /([A-Za-z_$][\w$]*)\s*\??\s*:\s*number\b/g;
// `Number(row.amount)`, `parseFloat(price)`, `Number.parseInt(body.credit, 10)`.
const NUMBER_CONVERSION =
  /\b(?:Number|parseFloat|parseInt)\(\s*((?:[A-Za-z_$][\w$]*(?:\?\.|\.|!\.))*[A-Za-z_$][\w$]*)/g;
// Ids and counts of money things are numbers rightly: `creditAccountId`, `credit_account_id`.
const NOT_MONEY = /(?:Id|Ids|_id|_ids|Count|_count|Index)$/;

function isMoneyName(name: string): boolean {
  return MONEY_WORD.test(name) && !NOT_MONEY.test(name);
}

/** `file:line: text` for every line where a money-named value is declared or converted to a number. */
function findMoneyNumbers(source: string, file: string): string[] {
  const found: string[] = [];
  for (const [index, line] of source.split('\n').entries()) {
    const code = line.trim();
    if (code.startsWith('//') || code.startsWith('*') || code.startsWith('/*')) continue;
    const names = [
      ...[...code.matchAll(NUMBER_DECLARATION)].map((match) => match[1]!),
      ...[...code.matchAll(NUMBER_CONVERSION)].map((match) => match[1]!.split(/\?\.|!\.|\./).at(-1)!),
    ];
    if (names.some(isMoneyName)) found.push(`${file}:${index + 1}: ${code}`);
  }
  return found;
}

async function sourceFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true });
  return entries
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts'))
    .sort();
}

describe('money types', () => {
  it('finds no number holding money anywhere in src/ (tests aside)', async () => {
    const root = path.resolve(import.meta.dirname, '..');
    const files = await sourceFiles(root);
    expect(files.length).toBeGreaterThan(20);
    const found: string[] = [];
    for (const file of files) {
      found.push(...findMoneyNumbers(await readFile(path.join(root, file), 'utf8'), `src/${file}`));
    }
    expect(found, 'money must be a bigint of micros (src/lib/money.ts)').toEqual([]);
  });

  it('reports money declared or converted as a number, with file and line', () => {
    const planted = [
      'export interface Charge {',
      '  amount: number;',
      '  totalCost?: number;',
      '  prices: number[];',
      '}',
      'function pay(spendLimitMicros: number) {}',
      'const balance = Number(row.balance);',
      'const price = parseFloat(body.unit_price);',
      'const spent = Number.parseInt(counter?.spent, 10);',
    ].join('\n');
    expect(findMoneyNumbers(planted, 'planted.ts')).toEqual([
      'planted.ts:2: amount: number;',
      'planted.ts:3: totalCost?: number;',
      'planted.ts:4: prices: number[];',
      'planted.ts:6: function pay(spendLimitMicros: number) {}',
      'planted.ts:7: const balance = Number(row.balance);',
      'planted.ts:8: const price = parseFloat(body.unit_price);',
      'planted.ts:9: const spent = Number.parseInt(counter?.spent, 10);',
    ]);
  });

  it('leaves bigint money, ids of money things, other numbers and comments alone', () => {
    const fine = [
      'amount: bigint;',
      'creditAccountId: number;',
      'const id = Number(row.credit_account_id);',
      'heldCount: number;',
      'openHolds: number;',
      'limit: number;',
      '// amount: number was how it used to be',
      ' * @param price: number — not any more',
      'const cost = BigInt(row.cost);',
    ].join('\n');
    expect(findMoneyNumbers(fine, 'fine.ts')).toEqual([]);
  });
});
