import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTransaction } from '../db/transaction.js';
import { SYSTEM_ACCOUNTS } from './system-accounts.js';
import { transfer } from './transfer.js';
import { ensureWallet } from './wallets.js';

/**
 * Test-only shortcuts: a bare user row (no password hashing, so hundreds are cheap) and a funded
 * wallet. Lives beside the ledger because ledger tests, the CLI tests and the benchmark share it.
 */
export async function insertLedgerTestUser(db: DbOrTransaction): Promise<string> {
  const id = randomUUID();
  await db.execute(sql`
    INSERT INTO users (id, email, username, password_hash, age_confirmed, age_confirmed_at)
    VALUES (${id}, ${`${id}@ledger.test`}, ${`u${id.replaceAll('-', '').slice(0, 20)}`}, 'x', true, now())`);
  return id;
}

export async function insertLedgerTestOrganisation(
  db: DbOrTransaction,
  ownerUserId: string,
): Promise<string> {
  const id = randomUUID();
  await db.execute(sql`
    INSERT INTO organisations (id, name, created_by, authority_confirmed_at)
    VALUES (${id}, 'Test organisation', ${ownerUserId}, now())`);
  return id;
}

/** A user whose wallet holds `amount` micros, credited as a top-up. */
export async function fundedTestWallet(
  db: DbOrTransaction,
  amount: bigint,
  now = new Date(),
): Promise<{ userId: string; walletId: number }> {
  const userId = await insertLedgerTestUser(db);
  const walletId = await ensureWallet(db, { userId });
  if (amount > 0n) {
    await transfer(db, {
      debitAccountId: SYSTEM_ACCOUNTS.payments_clearing,
      creditAccountId: walletId,
      amount,
      kind: 'top_up',
      idempotencyKey: `fixture:${userId}`,
      actor: 'system',
      now,
    });
  }
  return { userId, walletId };
}
