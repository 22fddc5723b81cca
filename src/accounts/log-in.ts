import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { ownAccountEvent, recordSecurityEvent } from '../audit/record-security-event.js';
import { users } from '../db/schema/index.js';
import { MixgateError } from '../lib/errors.js';
import { LOCK_THRESHOLD, lockedUntilAfter, minutesUntil } from './lockout.js';
import { verifyAgainstDummy, verifyPassword } from './password-hash.js';
import type { RequestMeta } from './request-meta.js';
import { createSession, type NewSession } from './sessions.js';
import { consumeSecondFactor } from './two-factor.js';

export interface LogInInput {
  email: string;
  password: string;
  totpCode?: string;
  recoveryCode?: string;
}

const BAD_CREDENTIALS = 'Incorrect e-mail or password';
const UNKNOWN_WINDOW_MS = 15 * 60_000;

export async function logIn(
  ctx: AppContext,
  input: LogInInput,
  meta: RequestMeta,
): Promise<{ session: NewSession; user: typeof users.$inferSelect }> {
  const now = ctx.now();
  const [user] = await ctx.db.select().from(users).where(eq(users.email, input.email)).limit(1);

  if (!user) {
    // Same work, same answers as for a real account, so responses do not reveal which e-mails exist.
    await verifyAgainstDummy(input.password);
    const attempts = await ctx.rateLimiter.hit(
      `login:unknown:${input.email}`,
      LOCK_THRESHOLD,
      UNKNOWN_WINDOW_MS,
    );
    await recordSecurityEvent(ctx.db, {
      type: 'sign_in_failed',
      ...meta,
      occurredAt: now,
      details: { reason: 'unknown_account' },
    });
    if (!attempts.allowed) throw lockedError(Math.ceil(attempts.retryAfterMs / 60_000));
    throw new MixgateError('unauthenticated', BAD_CREDENTIALS);
  }

  if (user.lockedUntil && user.lockedUntil > now) {
    await recordSecurityEvent(ctx.db, {
      type: 'sign_in_failed',
      userId: user.id,
      ...meta,
      occurredAt: now,
      details: { reason: 'locked' },
    });
    throw lockedError(minutesUntil(user.lockedUntil, now));
  }

  if (!(await verifyPassword(user.passwordHash, input.password))) {
    await recordFailure(ctx, user.id, meta, now, 'wrong_password');
    throw new MixgateError('unauthenticated', BAD_CREDENTIALS);
  }

  if (user.status !== 'active') {
    await recordSecurityEvent(ctx.db, {
      type: 'sign_in_failed',
      userId: user.id,
      ...meta,
      occurredAt: now,
      details: { reason: user.status },
    });
    throw new MixgateError(
      'forbidden',
      user.status === 'closed'
        ? `This account is closed. To reopen it before its content is deleted, contact ${ctx.config.OPERATOR_EMAIL}.`
        : 'This account is suspended; contact support',
      403,
      { status: user.status },
    );
  }
  if (!user.emailVerifiedAt) {
    throw new MixgateError(
      'email_not_verified',
      'Confirm your e-mail address first: follow the link we sent you',
    );
  }

  if (user.totpEnabledAt && user.totpSecretSealed) {
    if (!input.totpCode && !input.recoveryCode) {
      throw new MixgateError('two_factor_required', 'Enter the code from your authenticator app');
    }
    const passed = await checkSecondFactor(ctx, user, input, meta, now);
    if (!passed) {
      await recordFailure(ctx, user.id, meta, now, 'wrong_second_factor');
      throw new MixgateError('unauthenticated', 'Incorrect authentication code');
    }
  }

  const session = await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ failedLoginCount: 0, lockedUntil: null }).where(eq(users.id, user.id));
    await recordSecurityEvent(tx, ownAccountEvent('sign_in_succeeded', user.id, meta, now));
    return createSession(tx, user.id, meta, now, ctx.config.SESSION_TTL_HOURS);
  });
  return { session, user };
}

/** Counts a failure atomically (concurrent guesses each count) and locks at the threshold. */
async function recordFailure(ctx: AppContext, userId: string, meta: RequestMeta, now: Date, reason: string) {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ failedLoginCount: sql`${users.failedLoginCount} + 1` })
      .where(eq(users.id, userId))
      .returning({ failures: users.failedLoginCount });
    const failures = row?.failures ?? 0;
    await recordSecurityEvent(tx, {
      type: 'sign_in_failed',
      userId,
      ...meta,
      occurredAt: now,
      details: { reason, failures },
    });
    const until = lockedUntilAfter(failures, now);
    if (until) {
      await tx.update(users).set({ lockedUntil: until }).where(eq(users.id, userId));
      await recordSecurityEvent(tx, {
        type: 'account_locked',
        userId,
        ...meta,
        occurredAt: now,
        details: { failures, lockedUntil: until.toISOString() },
      });
    }
  });
}

async function checkSecondFactor(
  ctx: AppContext,
  user: typeof users.$inferSelect,
  input: LogInInput,
  meta: RequestMeta,
  now: Date,
): Promise<boolean> {
  const code = input.totpCode ?? input.recoveryCode ?? '';
  if (!(await consumeSecondFactor(ctx, ctx.db, user, code, now))) return false;
  if (!input.totpCode) {
    await recordSecurityEvent(ctx.db, ownAccountEvent('recovery_code_used', user.id, meta, now));
  }
  return true;
}

function lockedError(minutes: number): MixgateError {
  return new MixgateError(
    'account_locked',
    `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or reset your password.`,
    429,
    { retryAfterSeconds: minutes * 60 },
  );
}
