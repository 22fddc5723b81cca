/**
 * The last step of an erasure: the user row stays, as the anchor that billing records, usage
 * records and legal records still point at (they must be kept, Art. 17(3)(b)), but nothing in it
 * identifies the person any more.
 */
import { sql } from 'drizzle-orm';
import type { DbTransaction } from '../../db/transaction.js';

/**
 * Every column of `users` the erasure sets, with its new value. The placeholders cannot collide
 * with a real account: `.invalid` is a reserved domain the sign-up form refuses, and the username
 * (39 characters) is longer than any a person may choose (32). `updated_at` becomes the time of
 * the erasure.
 */
export const USER_COLUMNS_REPLACED: Record<string, string> = {
  email: `'erased+' || id::text || '@invalid'`,
  email_verified_at: 'NULL',
  username: `'erased-' || replace(id::text, '-', '')`,
  display_name: 'NULL',
  password_hash: `'erased'`,
  totp_secret_sealed: 'NULL',
  totp_enabled_at: 'NULL',
  totp_last_step: 'NULL',
  failed_login_count: '0',
  locked_until: 'NULL',
  staff_role: 'NULL',
  status: `'erased'`,
  closed_at: 'NULL',
  closed_by: 'NULL',
  closure_reason: 'NULL',
  routing_policy: 'NULL',
  history_enabled: 'true',
  language: `'en'`,
};

/** The columns the erasure leaves as they are, and why they identify no one. */
export const USER_COLUMNS_KEPT: Record<string, string> = {
  id: 'The pseudonym itself: a random id the kept records point at',
  age_confirmed: 'Evidence that the contract was made with an adult, without any detail of the person',
  age_confirmed_at: 'When that evidence was given',
  created_at: 'When the account was opened, which dates the kept billing records',
};

/** "erased" is no argon2 hash, so no password ever matches it (verifyPassword returns false). */
export async function pseudonymiseUser(tx: DbTransaction, userId: string, now: Date): Promise<void> {
  // Column names and values are the constants above, never input.
  const assignments = Object.entries(USER_COLUMNS_REPLACED).map(([column, value]) =>
    sql.raw(`"${column}" = ${value}`),
  );
  await tx.execute(
    sql`UPDATE users SET ${sql.join(assignments, sql`, `)}, updated_at = ${now} WHERE id = ${userId}`,
  );
}
