import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnvironment, runCliWith } from '../../test/mixgate-process.js';
import { createTestDatabase } from '../../test/test-database.js';
import { securityEvents, users } from '../db/schema/index.js';
import { insertLedgerTestUser } from './ledger-test-fixtures.js';
import { readBalance } from './read-balance.js';

/**
 * `mixgate credit` and `mixgate ledger check` as an operator runs them: `node bin/mixgate.js` in its
 * own process, against a database given by DATABASE_URL.
 */

const database = await createTestDatabase();
// The check must be seen failing, so this one is damaged on purpose and dropped when the file ends.
const damaged = await createTestDatabase({ dropAfterFile: true });
let dataDir = '';

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'mg-ledger-cli-'));
});

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function mixgate(databaseUrl: string, ...args: string[]) {
  return runCliWith(cleanEnvironment(dataDir, { DATABASE_URL: databaseUrl }), ...args);
}

async function emailOf(userId: string): Promise<string> {
  const [row] = await database.db.select({ email: users.email }).from(users).where(eq(users.id, userId));
  return row!.email;
}

describe('mixgate credit', () => {
  it('credits a user, and credits again when run again, printing the new balance', async () => {
    const userId = await insertLedgerTestUser(database.db);
    const email = await emailOf(userId);
    const args = ['credit', '--email', email, '--amount', '12.50', '--reason', 'Paid by bank transfer'];

    const first = await mixgate(database.url, ...args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(`^Credited 12\\.500000 USD to ${email} \\(transfer \\d+\\)\\.\\n`),
    );
    expect(first.stdout).toContain('Balance: 12.500000 USD (available 12.500000 USD).');

    const second = await mixgate(database.url, ...args);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Balance: 25.000000 USD');
    expect(await readBalance(database.db, { userId })).toMatchObject({ balance: 25_000_000n });

    const debit = await mixgate(
      database.url,
      'credit',
      '--email',
      email,
      '--amount',
      '5',
      '--reason',
      'Correction',
      '--debit',
    );
    expect(debit.code, debit.stderr).toBe(0);
    expect(debit.stdout).toMatch(/^Debited 5\.000000 USD from /);
    expect(debit.stdout).toContain('Balance: 20.000000 USD');

    const events = await database.db
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.userId, userId), eq(securityEvents.type, 'credit_adjusted')));
    expect(events.map((event) => [event.details.direction, event.details.via, event.details.reason])).toEqual(
      [
        ['credit', 'cli', 'Paid by bank transfer'],
        ['credit', 'cli', 'Paid by bank transfer'],
        ['debit', 'cli', 'Correction'],
      ],
    );
  });

  it('exits 1 with one line for an unknown user, a bad amount, a blank reason or too little credit', async () => {
    const userId = await insertLedgerTestUser(database.db);
    const email = await emailOf(userId);
    const cases: Array<[string[], RegExp]> = [
      [
        ['--email', 'nobody@example.com', '--amount', '1', '--reason', 'x'],
        /^No user with e-mail nobody@example\.com$/,
      ],
      [['--email', email, '--amount', '1,50', '--reason', 'x'], /^Not a positive amount: "1,50"/],
      [['--email', email, '--amount', '0', '--reason', 'x'], /^Not a positive amount: "0"/],
      [['--email', email, '--amount', '1', '--reason', ' '], /^A reason is required$/],
      [
        ['--email', email, '--amount', '1', '--reason', 'x', '--debit'],
        /^Not enough credit: .* has 0\.000000 available, 1\.000000 asked$/,
      ],
    ];
    for (const [args, message] of cases) {
      const result = await mixgate(database.url, 'credit', ...args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
    }
    expect(await readBalance(database.db, { userId })).toMatchObject({ balance: 0n });
  });
});

describe('mixgate ledger check', () => {
  it('passes on a consistent ledger', async () => {
    const result = await mixgate(database.url, 'ledger', 'check');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toMatch(
      /^Ledger consistent: \d+ accounts, \d+ transfers, \d+ holds checked\.$/,
    );
  });

  it('exits 1 and lists each problem when a balance was changed by hand', async () => {
    const userId = await insertLedgerTestUser(damaged.db);
    const [row] = await damaged.db.select({ email: users.email }).from(users).where(eq(users.id, userId));
    const credit = await mixgate(
      damaged.url,
      'credit',
      '--email',
      row!.email,
      '--amount',
      '3',
      '--reason',
      'x',
    );
    expect(credit.code, credit.stderr).toBe(0);
    await damaged.pool.query('UPDATE ledger_accounts SET balance = balance + 1 WHERE user_id = $1', [userId]);

    const result = await mixgate(damaged.url, 'ledger', 'check');
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      'Ledger INCONSISTENT: 2 problems in 6 accounts, 1 transfers, 0 holds.',
      '  - the balances of all accounts sum to 0.000001, not 0',
      expect.stringMatching(
        /^ {2}- account \d+ \(user_wallet\) has balance 3\.000001 but its transfers sum to 3\.000000$/,
      ),
    ]);
  });
});
