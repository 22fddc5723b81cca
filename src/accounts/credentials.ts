import { eq } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { ownAccountEvent, recordSecurityEvent } from '../audit/record-security-event.js';
import { users } from '../db/schema/index.js';
import { MixgateError } from '../lib/errors.js';
import { consumeToken, issueToken, revokeTokens } from './email-tokens.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { checkPasswordPolicy } from './password-policy.js';
import type { RequestMeta } from './request-meta.js';
import { revokeOtherSessions } from './sessions.js';

const INVALID_LINK = 'This link is invalid, already used or expired; ask for a new one';

export async function verifyEmail(ctx: AppContext, token: string, meta: RequestMeta): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const userId = await consumeToken(tx, token, 'verify_email', now);
    if (!userId) throw new MixgateError('invalid_request', INVALID_LINK);
    await tx.update(users).set({ emailVerifiedAt: now, updatedAt: now }).where(eq(users.id, userId));
    await recordSecurityEvent(tx, ownAccountEvent('email_verified', userId, meta, now));
  });
}

/** A fresh verification token for an unverified account, or null (no account, or already verified). */
export async function newVerificationToken(ctx: AppContext, email: string): Promise<string | null> {
  const [user] = await ctx.db.select().from(users).where(eq(users.email, email)).limit(1);
  if (!user || user.emailVerifiedAt) return null;
  return issueToken(ctx.db, user.id, 'verify_email', ctx.now());
}

/** A reset token for an existing account, or null. The caller answers the same in both cases. */
export async function requestPasswordReset(
  ctx: AppContext,
  email: string,
  meta: RequestMeta,
): Promise<string | null> {
  const now = ctx.now();
  const [user] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (!user) return null;
  return ctx.db.transaction(async (tx) => {
    await recordSecurityEvent(tx, {
      type: 'password_reset_requested',
      userId: user.id,
      ...meta,
      occurredAt: now,
      details: {},
    });
    return issueToken(tx, user.id, 'reset_password', now);
  });
}

/**
 * Sets a new password from an e-mailed token. Also ends every session and lifts a lockout: whoever
 * holds the mailbox is the owner. Proving the mailbox also verifies the address.
 */
export async function resetPassword(
  ctx: AppContext,
  token: string,
  password: string,
  meta: RequestMeta,
): Promise<string> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const userId = await consumeToken(tx, token, 'reset_password', now);
    if (!userId) throw new MixgateError('invalid_request', INVALID_LINK);
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    const policy = checkPasswordPolicy(password, { email: user!.email, username: user!.username });
    if (!policy.ok) throw new MixgateError('invalid_request', `password: ${policy.reason}`);
    await tx
      .update(users)
      .set({
        passwordHash: await hashPassword(password),
        failedLoginCount: 0,
        lockedUntil: null,
        emailVerifiedAt: user!.emailVerifiedAt ?? now,
        updatedAt: now,
      })
      .where(eq(users.id, userId));
    await revokeOtherSessions(tx, userId, now);
    // A pending e-mail change may be a hijacker's: a new password cancels it.
    await revokeTokens(tx, userId, now, 'change_email');
    await recordSecurityEvent(tx, ownAccountEvent('password_reset', userId, meta, now));
    return user!.email;
  });
}

export async function changePassword(
  ctx: AppContext,
  userId: string,
  currentSessionId: string,
  input: { currentPassword: string; newPassword: string },
  meta: RequestMeta,
): Promise<string> {
  const now = ctx.now();
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new MixgateError('forbidden', 'The current password is not correct');
  }
  const policy = checkPasswordPolicy(input.newPassword, { email: user.email, username: user.username });
  if (!policy.ok) throw new MixgateError('invalid_request', `newPassword: ${policy.reason}`);
  const passwordHash = await hashPassword(input.newPassword);
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
    await revokeOtherSessions(tx, userId, now, currentSessionId);
    await revokeTokens(tx, userId, now, 'change_email');
    await recordSecurityEvent(tx, ownAccountEvent('password_changed', userId, meta, now));
  });
  return user.email;
}
