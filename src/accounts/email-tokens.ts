import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { userTokens } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { randomToken, sha256Hex } from '../lib/crypto.js';

export type TokenPurpose = 'verify_email' | 'reset_password';

const LIFETIME_MS: Record<TokenPurpose, number> = {
  verify_email: 48 * 3600_000,
  reset_password: 3600_000,
};

/** Creates a single-use token; only its hash is stored, the raw value goes into the e-mail. */
export async function issueToken(
  db: DbOrTransaction,
  userId: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<string> {
  const token = randomToken(32);
  await db.insert(userTokens).values({
    id: randomUUID(),
    userId,
    purpose,
    tokenHash: sha256Hex(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + LIFETIME_MS[purpose]),
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
    .returning({ userId: userTokens.userId });
  return row?.userId ?? null;
}
