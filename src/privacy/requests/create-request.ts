/**
 * How a privacy request comes in:
 * - in the app, by the signed-in user, who re-enters their password: that verifies their identity
 *   at once (a stolen session alone cannot erase an account or take a copy of it);
 * - received by e-mail or post, entered by staff: the request waits until the account holder opens
 *   the link mailed to the account's address. Staff cannot attest the identity themselves: the
 *   link proves control of the mailbox the account is tied to, which a forged e-mail does not.
 * An erasure is refused at once while something blocks it (erasure-blockers.ts); once verified,
 * the account is locked and the erasure job carries it out.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { confirmPassword } from '../../accounts/confirm-password.js';
import type { RequestMeta } from '../../accounts/request-meta.js';
import type { AppContext } from '../../app-context.js';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import { privacyRequests, users } from '../../db/schema/index.js';
import type { DbTransaction } from '../../db/transaction.js';
import { randomToken, sha256Hex } from '../../lib/crypto.js';
import { MixgateError } from '../../lib/errors.js';
import { erasureBlocker } from './erasure-blockers.js';
import { cancelUnfinishedJobs, forgetRevokedKeys, lockOutUser } from './lock-out-user.js';
import {
  dueDate,
  OPEN_STATUSES,
  type PrivacyRequest,
  type PrivacyRequestType,
  VERIFICATION_LINK_LIFETIME_MS,
} from './request-kinds.js';

export interface OwnRequestInput {
  type: PrivacyRequestType;
  password: string;
  details?: string;
}

export interface StaffRequestInput {
  userId: string;
  type: PrivacyRequestType;
  reason: string;
  details?: string;
}

/** A request made in the app: verified by the password, so it starts at once. */
export async function createOwnRequest(
  ctx: AppContext,
  userId: string,
  input: OwnRequestInput,
  meta: RequestMeta,
): Promise<PrivacyRequest> {
  const now = ctx.now();
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  await confirmPassword(user?.passwordHash, input.password);
  await refuseDuplicate(ctx, userId, input.type);
  if (input.type === 'erasure') await refuseBlockedErasure(ctx, userId, userId, meta, now);
  const { request, keyHashes } = await ctx.db.transaction(async (tx) => {
    const [request] = await tx
      .insert(privacyRequests)
      .values({
        userId,
        type: input.type,
        status: 'in_progress',
        source: 'app',
        details: input.details ?? null,
        receivedAt: now,
        dueAt: dueDate(now),
        verifiedAt: now,
        verification: 'password',
      })
      .returning();
    await recordSecurityEvent(tx, {
      type: 'privacy_request_received',
      userId,
      actorId: userId,
      ...meta,
      occurredAt: now,
      details: { requestId: request!.id, type: input.type, source: 'app', verification: 'password' },
    });
    const keyHashes = input.type === 'erasure' ? await startErasure(tx, request!, userId, now) : [];
    return { request: request!, keyHashes };
  });
  forgetRevokedKeys(ctx, keyHashes);
  if (request.type === 'erasure') await cancelUnfinishedJobs(ctx, request.userId);
  return request;
}

/** A request staff received outside the app: it waits for the link mailed to the account's address. */
export async function createStaffRequest(
  ctx: AppContext,
  staffId: string,
  input: StaffRequestInput,
  meta: RequestMeta,
): Promise<{ request: PrivacyRequest; email: string; token: string }> {
  const now = ctx.now();
  const [user] = await ctx.db.select().from(users).where(eq(users.id, input.userId));
  if (!user) throw new MixgateError('not_found', 'No such user');
  if (user.status === 'erased' || user.status === 'erasing') {
    throw new MixgateError('conflict', 'This account is erased or being erased', 409, {
      status: user.status,
    });
  }
  await refuseDuplicate(ctx, input.userId, input.type);
  if (input.type === 'erasure') await refuseBlockedErasure(ctx, input.userId, staffId, meta, now);
  const token = randomToken(32);
  const request = await ctx.db.transaction(async (tx) => {
    const [request] = await tx
      .insert(privacyRequests)
      .values({
        userId: input.userId,
        type: input.type,
        status: 'awaiting_verification',
        source: 'staff',
        details: input.details ?? null,
        receivedAt: now,
        dueAt: dueDate(now),
        verificationTokenHash: sha256Hex(token),
        verificationExpiresAt: new Date(now.getTime() + VERIFICATION_LINK_LIFETIME_MS),
        handledBy: staffId,
        notes: input.reason,
      })
      .returning();
    await recordSecurityEvent(tx, {
      type: 'privacy_request_received',
      userId: input.userId,
      actorId: staffId,
      ...meta,
      occurredAt: now,
      details: { requestId: request!.id, type: input.type, source: 'staff', verification: 'email_link' },
    });
    return request!;
  });
  return { request, email: user.email, token };
}

/** Locks the account in the request's transaction and logs it; returns the revoked keys' hashes. */
export async function startErasure(
  tx: DbTransaction,
  request: PrivacyRequest,
  actorId: string | null,
  now: Date,
): Promise<string[]> {
  const { sessionsEnded, keyHashes } = await lockOutUser(tx, request.userId, now);
  await recordSecurityEvent(tx, {
    type: 'erasure_started',
    userId: request.userId,
    actorId,
    occurredAt: now,
    details: { requestId: request.id, sessionsEnded, apiCredentialsRevoked: keyHashes.length },
  });
  return keyHashes;
}

/** One open request of a kind at a time: a second would do the same work twice. */
async function refuseDuplicate(ctx: AppContext, userId: string, type: PrivacyRequestType): Promise<void> {
  const [open] = await ctx.db
    .select({ id: privacyRequests.id })
    .from(privacyRequests)
    .where(
      and(
        eq(privacyRequests.userId, userId),
        eq(privacyRequests.type, type),
        inArray(privacyRequests.status, [...OPEN_STATUSES]),
      ),
    )
    .limit(1);
  if (open) {
    throw new MixgateError('conflict', 'A request of this kind is already open', 409, { requestId: open.id });
  }
}

/** Logs the refusal, then says why: a legal hold, or an organisation still owned. */
export async function refuseBlockedErasure(
  ctx: AppContext,
  userId: string,
  actorId: string,
  meta: RequestMeta,
  now: Date,
): Promise<void> {
  const blocker = await erasureBlocker(ctx.db, userId);
  if (!blocker) return;
  await recordSecurityEvent(ctx.db, {
    type: 'privacy_request_refused',
    userId,
    actorId,
    ...meta,
    occurredAt: now,
    details: { type: 'erasure', blockedBy: blocker.code },
  });
  throw new MixgateError('conflict', blocker.message, 409, { reason: blocker.code });
}
