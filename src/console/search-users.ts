import { and, asc, eq, gt, like, or, sql } from 'drizzle-orm';
import { publicUser } from '../accounts/account-schemas.js';
import { users } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';

export interface SearchUsersOptions {
  /** A prefix of the e-mail address or the username (case-insensitive), or a user id. */
  query?: string;
  limit: number;
  /** The e-mail of the last user on the previous page. */
  after?: string;
}

/** What staff see of an account: never the password hash, TOTP secret or recovery codes. */
export interface ConsoleUserView {
  id: string;
  email: string;
  username: string;
  displayName: string | null;
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  staffRole: string | null;
  status: string;
  lockedUntil: string | null;
  createdAt: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Users ordered by e-mail (unique, so it is also the page cursor). */
export async function searchUsers(
  db: DbOrTransaction,
  options: SearchUsersOptions,
): Promise<{ data: ConsoleUserView[]; nextCursor: string | null }> {
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      username: users.username,
      displayName: users.displayName,
      emailVerifiedAt: users.emailVerifiedAt,
      totpEnabledAt: users.totpEnabledAt,
      staffRole: users.staffRole,
      status: users.status,
      lockedUntil: users.lockedUntil,
      createdAt: users.createdAt,
    })
    .from(users)
    .where(
      and(matching(options.query), options.after === undefined ? undefined : gt(users.email, options.after)),
    )
    .orderBy(asc(users.email))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  return {
    data: page.map((row) => ({
      ...publicUser(row),
      status: row.status,
      lockedUntil: row.lockedUntil?.toISOString() ?? null,
    })),
    nextCursor: rows.length > options.limit ? (page.at(-1)?.email ?? null) : null,
  };
}

function matching(query: string | undefined) {
  const text = query?.trim().toLowerCase();
  if (!text) return undefined;
  if (UUID.test(text)) return eq(users.id, text);
  const prefix = `${escapeLike(text)}%`;
  // E-mails are stored lower-cased; usernames keep their case but are unique case-insensitively.
  return or(like(users.email, prefix), sql`lower(${users.username}) like ${prefix}`);
}

/** `%` and `_` typed by staff are literal characters, not wildcards. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
