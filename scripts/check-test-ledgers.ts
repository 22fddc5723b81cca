/**
 * CI: `mixgate ledger check` on every database a test run left behind (test/global-setup.ts lists
 * them when KEEP_TEST_DATABASES=1), in one process: a process per database spent most of its time
 * starting up (about 2.5 s each, several minutes for a whole run). The check and its output are
 * the command's own (ledgerCheckCommand). Exits 1 when any ledger is inconsistent.
 *
 *   tsx scripts/check-test-ledgers.ts ADMIN_URL LIST_FILE
 */
import { readFile } from 'node:fs/promises';
import { openDatabase } from '../src/db/database.js';
import { ledgerCheckCommand } from '../src/ledger/ledger-commands.js';

const [adminUrl, list] = process.argv.slice(2);
if (!adminUrl || !list) throw new Error('usage: check-test-ledgers ADMIN_URL LIST_FILE');
const names = (await readFile(list, 'utf8')).split('\n').filter(Boolean);
let failed = 0;
for (const name of names) {
  const url = `${adminUrl.slice(0, adminUrl.lastIndexOf('/'))}/${name}`;
  const database = await openDatabase(
    { DATABASE_URL: url, DATABASE_POOL_SIZE: 2, dataDir: '' },
    { migrate: false },
  );
  const out = {
    log: (line: string) => console.log(`${name}: ${line}`),
    error: (line: string) => console.error(`${name}: ${line}`),
  };
  try {
    if ((await ledgerCheckCommand(database.db, out)) !== 0) failed += 1;
  } catch (error) {
    console.error(`${name}: the check could not run: ${(error as Error).message}`);
    failed += 1;
  } finally {
    await database.close();
  }
}
console.log(`ledger check: ${names.length} test databases checked, ${failed} inconsistent`);
process.exitCode = failed > 0 ? 1 : 0;
