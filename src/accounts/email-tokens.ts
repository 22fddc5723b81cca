import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { userTokens } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { randomToken, sha256Hex } from '../lib/crypto.js';

export type TokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

const LIFETIME_MS: Record<TokenPurpose, number> = {
  verify_email: 48 * 3600_000,
  reset_password: 3600_000,
  change_email: 24 * 3600_000,
};

/**
 * Creates a single-use token; only its hash is stored, the raw value goes into the e-mail.
 * `newEmail` is the address a change_email token moves the account to.
 */
export async function issueToken(
  db: DbOrTransaction,
  userId: string,
  purpose: TokenPurpose,
  now: Date,
  newEmail: string | null = null,
): Promise<string> {
  const token = randomToken(32);
  await db.insert(userTokens).values({
    id: randomUUID(),
    userId,
    purpose,
    tokenHash: sha256Hex(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + LIFETIME_MS[purpose]),
    newEmail,
  });
  return token;
}

/**
 * Marks a token used and returns its user, or null when it is unknown, expired, used or of another
 * purpose. The conditional UPDATE makes a token usable once even under concurrent requests.
 */
export async function consumeToken(
  db: DbOrTransaction,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<string | null> {
  return (await consumeTokenRow(db, token, purpose, now))?.userId ?? null;
}

/** consumeToken, also returning the address a change_email token carries. */
export async function consumeTokenRow(
  db: DbOrTransaction,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<{ userId: string; newEmail: string | null } | null> {
  const [row] = await db
    .update(userTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(userTokens.tokenHash, sha256Hex(token)),
        eq(userTokens.purpose, purpose),
        isNull(userTokens.usedAt),
        gt(userTokens.expiresAt, now),
      ),
    )
    .returning({ userId: userTokens.userId, newEmail: userTokens.newEmail });
  return row ?? null;
}

/** Ends a user's unused tokens (of one purpose, or all): links already mailed stop working. */
export async function revokeTokens(
  db: DbOrTransaction,
  userId: string,
  now: Date,
  purpose?: TokenPurpose,
): Promise<void> {
  await db
    .update(userTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(userTokens.userId, userId),
        isNull(userTokens.usedAt),
        purpose === undefined ? undefined : eq(userTokens.purpose, purpose),
      ),
    );
}
