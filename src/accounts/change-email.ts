import { eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { ownAccountEvent, recordSecurityEvent } from '../audit/record-security-event.js';
import { users } from '../db/schema/index.js';
import { violatedConstraint } from '../db/violated-constraint.js';
import { MixgateError } from '../lib/errors.js';
import { confirmPassword } from './confirm-password.js';
import { consumeTokenRow, issueToken, revokeTokens } from './email-tokens.js';
import type { RequestMeta } from './request-meta.js';

/*
 * Changing the e-mail address takes two steps. The signed-in user asks with their password; a link
 * goes to the new address (and a notice to the current one). The address changes only when that
 * link is opened (POST /api/account/email/confirm, which needs no session: the link may be opened
 * on another device), proving the new mailbox; it is then the verified address. Other sessions
 * stay signed in: the account holder asked for this with their password.
 */

const INVALID_LINK = 'This link is invalid, already used or expired; ask for a new one';
const ADDRESS_TAKEN = 'Another account uses that e-mail address';

export interface EmailChangeRequest {
  newEmail: string;
  password: string;
}

/** Checks the password and the address, then issues the link's token (older links stop working). */
export async function requestEmailChange(
  ctx: AppContext,
  userId: string,
  input: EmailChangeRequest,
  meta: RequestMeta,
): Promise<{ currentEmail: string; token: string }> {
  const now = ctx.now();
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new MixgateError('unauthenticated', 'Sign in first');
  // The password comes first, so a stolen session cannot probe which addresses have accounts.
  await confirmPassword(user.passwordHash, input.password);
  if (input.newEmail === user.email) {
    throw new MixgateError('invalid_request', 'That is already your e-mail address', 400, {
      field: 'newEmail',
    });
  }
  const [owner] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, input.newEmail))
    .limit(1);
  if (owner) throw new MixgateError('conflict', ADDRESS_TAKEN, 409, { field: 'newEmail' });

  const token = await ctx.db.transaction(async (tx) => {
    await revokeTokens(tx, userId, now, 'change_email');
    // No address in the log: it is append-only, so an erasure could not remove it. The mails name it.
    await recordSecurityEvent(tx, ownAccountEvent('email_change_requested', userId, meta, now));
    return issueToken(tx, userId, 'change_email', now, input.newEmail);
  });
  return { currentEmail: user.email, token };
}

/** Spends the link's token and moves the account to the new, now verified, address. */
export async function confirmEmailChange(
  ctx: AppContext,
  token: string,
  meta: RequestMeta,
): Promise<{ previousEmail: string; email: string }> {
  const now = ctx.now();
  try {
    return await ctx.db.transaction(async (tx) => {
      const row = await consumeTokenRow(tx, token, 'change_email', now);
      if (!row?.newEmail) throw new MixgateError('invalid_request', INVALID_LINK);
      const [user] = await tx
        .select({ email: users.email })
        .from(users)
        .where(eq(users.id, row.userId))
        .for('update');
      await tx
        .update(users)
        .set({ email: row.newEmail, emailVerifiedAt: now, updatedAt: now })
        .where(eq(users.id, row.userId));
      // Links mailed to the previous address (a password reset, say) must not act on the account now.
      await revokeTokens(tx, row.userId, now);
      await recordSecurityEvent(tx, ownAccountEvent('email_changed', row.userId, meta, now));
      return { previousEmail: user!.email, email: row.newEmail };
    });
  } catch (error) {
    // Someone signed up with the address after the link was sent: the unique index decides.
    if (violatedConstraint(error) === 'users_email_key') {
      throw new MixgateError('conflict', ADDRESS_TAKEN, 409);
    }
    throw error;
  }
}
