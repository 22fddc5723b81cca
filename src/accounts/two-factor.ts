import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { ownAccountEvent, recordSecurityEvent } from '../audit/record-security-event.js';
import { recoveryCodes, users } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { decrypt, encrypt } from '../lib/crypto.js';
import { MixgateError } from '../lib/errors.js';
import { verifyPassword } from './password-hash.js';
import type { RequestMeta } from './request-meta.js';
import { createTotpSecret, generateRecoveryCodes, hashRecoveryCode, totpUri, verifyTotp } from './totp.js';

export const RECOVERY_CODE_COUNT = 10;
const INCORRECT_CODE = 'Incorrect authentication code';

type UserRow = typeof users.$inferSelect;

/**
 * The additional data the sealed secret is bound to; log-in.ts opens it with the same string, and
 * the master key rotation (src/privacy/content-master-key.ts) re-seals it with it.
 */
export function totpSealContext(userId: string): string {
  return `totp:${userId}`;
}

/**
 * Step one: a fresh secret, sealed at rest and pending until a code from it is confirmed. Starting
 * again replaces a pending secret; an enabled one must be disabled first.
 */
export async function startTwoFactorSetup(
  ctx: AppContext,
  userId: string,
): Promise<{ secret: string; otpauthUrl: string }> {
  const secret = createTotpSecret();
  const sealed = encrypt(ctx.masterKey, secret, totpSealContext(userId));
  // Replay protection is per secret: a new secret starts with no step used.
  const [row] = await ctx.db
    .update(users)
    .set({ totpSecretSealed: sealed, totpLastStep: null, updatedAt: ctx.now() })
    .where(and(eq(users.id, userId), isNull(users.totpEnabledAt)))
    .returning({ email: users.email });
  if (!row) throw alreadyEnabled();
  return { secret, otpauthUrl: totpUri(secret, row.email) };
}

/** Step two: a code from the pending secret proves the app holds it; returns the recovery codes (shown once). */
export async function enableTwoFactor(
  ctx: AppContext,
  userId: string,
  code: string,
  meta: RequestMeta,
): Promise<{ email: string; recoveryCodes: string[] }> {
  const now = ctx.now();
  const user = await loadUser(ctx.db, userId);
  if (user.totpEnabledAt) throw alreadyEnabled();
  const sealed = user.totpSecretSealed;
  if (!sealed) throw new MixgateError('conflict', 'Start the two-factor setup first');
  const step = verifyTotp(openSecret(ctx, userId, sealed), code, now.getTime());
  if (step === null) throw new MixgateError('invalid_request', INCORRECT_CODE);

  const codes = generateRecoveryCodes(RECOVERY_CODE_COUNT);
  await ctx.db.transaction(async (tx) => {
    // Conditional on the secret that was checked: a setup restarted meanwhile must not be enabled blind.
    const enabled = await tx
      .update(users)
      .set({ totpEnabledAt: now, totpLastStep: step, updatedAt: now })
      .where(and(eq(users.id, userId), isNull(users.totpEnabledAt), eq(users.totpSecretSealed, sealed)))
      .returning({ id: users.id });
    if (enabled.length === 0) {
      throw new MixgateError('conflict', 'The two-factor setup changed meanwhile; start it again');
    }
    await replaceRecoveryCodes(tx, userId, codes, now);
    await recordSecurityEvent(tx, ownAccountEvent('two_factor_enabled', userId, meta, now));
  });
  return { email: user.email, recoveryCodes: codes };
}

/** Needs the password and a second factor (a TOTP code or a recovery code). Returns the e-mail. */
export async function disableTwoFactor(
  ctx: AppContext,
  userId: string,
  input: { password: string; code: string },
  meta: RequestMeta,
): Promise<string> {
  const now = ctx.now();
  const user = await loadUser(ctx.db, userId);
  if (!user.totpEnabledAt) throw notEnabled();
  await assertPassword(user, input.password);
  await ctx.db.transaction(async (tx) => {
    if (!(await consumeSecondFactor(ctx, tx, user, input.code, now))) {
      throw new MixgateError('invalid_request', INCORRECT_CODE);
    }
    await tx
      .update(users)
      .set({ totpSecretSealed: null, totpEnabledAt: null, totpLastStep: null, updatedAt: now })
      .where(eq(users.id, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await recordSecurityEvent(tx, ownAccountEvent('two_factor_disabled', userId, meta, now));
  });
  return user.email;
}

/** New recovery codes replace all old ones, used or not. Needs the password. */
export async function regenerateRecoveryCodes(
  ctx: AppContext,
  userId: string,
  password: string,
  meta: RequestMeta,
): Promise<{ email: string; recoveryCodes: string[] }> {
  const now = ctx.now();
  const user = await loadUser(ctx.db, userId);
  if (!user.totpEnabledAt) throw notEnabled();
  await assertPassword(user, password);
  const codes = generateRecoveryCodes(RECOVERY_CODE_COUNT);
  await ctx.db.transaction(async (tx) => {
    await replaceRecoveryCodes(tx, userId, codes, now);
    await recordSecurityEvent(tx, ownAccountEvent('recovery_codes_regenerated', userId, meta, now));
  });
  return { email: user.email, recoveryCodes: codes };
}

/**
 * Checks a second factor and uses it up: a TOTP code's time step must be newer than the last one
 * accepted (a conditional update, so a concurrent replay loses), a recovery code is marked used.
 */
export async function consumeSecondFactor(
  ctx: AppContext,
  db: DbOrTransaction,
  user: Pick<UserRow, 'id' | 'totpSecretSealed'>,
  code: string,
  now: Date,
): Promise<boolean> {
  const compact = code.replace(/\s/g, '');
  if (/^\d{6}$/.test(compact)) {
    if (!user.totpSecretSealed) return false;
    const step = verifyTotp(openSecret(ctx, user.id, user.totpSecretSealed), compact, now.getTime());
    if (step === null) return false;
    const claimed = await db
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, user.id), sql`coalesce(${users.totpLastStep}, -1) < ${step}`))
      .returning({ id: users.id });
    return claimed.length > 0;
  }
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(recoveryCodes.userId, user.id),
        eq(recoveryCodes.codeHash, hashRecoveryCode(code)),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ userId: recoveryCodes.userId });
  return used.length > 0;
}

async function replaceRecoveryCodes(db: DbOrTransaction, userId: string, codes: string[], now: Date) {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await db
    .insert(recoveryCodes)
    .values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code), createdAt: now })));
}

function openSecret(ctx: AppContext, userId: string, sealed: string): string {
  return decrypt(ctx.masterKey, sealed, totpSealContext(userId)).toString();
}

async function loadUser(db: DbOrTransaction, userId: string): Promise<UserRow> {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new MixgateError('unauthenticated', 'Sign in first');
  return user;
}

async function assertPassword(user: UserRow, password: string): Promise<void> {
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw new MixgateError('forbidden', 'The password is not correct');
  }
}

function alreadyEnabled(): MixgateError {
  return new MixgateError('conflict', 'Two-factor authentication is already enabled; disable it first');
}

function notEnabled(): MixgateError {
  return new MixgateError('conflict', 'Two-factor authentication is not enabled');
}
