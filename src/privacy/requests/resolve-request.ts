import { and, eq } from 'drizzle-orm';
import type { RequestMeta } from '../../accounts/request-meta.js';
import type { AppContext } from '../../app-context.js';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import { privacyRequests, users } from '../../db/schema/index.js';
import { MixgateError } from '../../lib/errors.js';
import { requestResolvedMail } from './privacy-request-mails.js';
import {
  MANUAL_REQUEST_TYPES,
  OPEN_STATUSES,
  type PrivacyRequest,
  type PrivacyRequestStatus,
  type PrivacyRequestType,
} from './request-kinds.js';
import { withRequestLock } from './request-lock.js';

export type Resolution = 'completed' | 'rejected';

/**
 * Staff close a request by hand, with the reason the user is told:
 * - complete: rectification, restriction, objection and consent withdrawal, once verified (access
 *   and erasure complete when their job has done the work);
 * - reject: any open request (an identity that could not be verified, a manifestly unfounded
 *   request, Art. 12(5)). An erasure can be rejected only before it started deleting; its account
 *   is then unlocked.
 * The reason goes to the request's notes and to the user, not to the security log (append-only,
 * so it must not hold free text about a person).
 */
export async function resolveRequest(
  ctx: AppContext,
  input: { requestId: string; staffId: string; resolution: Resolution; reason: string; meta: RequestMeta },
): Promise<PrivacyRequest> {
  const outcome = await withRequestLock(ctx.pool, input.requestId, () => resolve(ctx, input));
  if (outcome.busy)
    throw new MixgateError('conflict', 'This request is being processed right now; try again shortly');
  return outcome.result;
}

async function resolve(
  ctx: AppContext,
  input: { requestId: string; staffId: string; resolution: Resolution; reason: string; meta: RequestMeta },
): Promise<PrivacyRequest> {
  const now = ctx.now();
  const [found] = await ctx.db
    .select({ request: privacyRequests, email: users.email })
    .from(privacyRequests)
    .innerJoin(users, eq(users.id, privacyRequests.userId))
    .where(eq(privacyRequests.id, input.requestId));
  if (!found) throw new MixgateError('not_found', 'No such privacy request');
  const { request } = found;
  const type = request.type as PrivacyRequestType;
  if (!OPEN_STATUSES.includes(request.status as PrivacyRequestStatus)) {
    throw new MixgateError('conflict', `This request is ${request.status} already`, 409, {
      status: request.status,
    });
  }
  if (input.resolution === 'completed') {
    if (!MANUAL_REQUEST_TYPES.includes(type)) {
      throw new MixgateError(
        'conflict',
        `An ${type} request completes when its job has run; it cannot be completed by hand`,
      );
    }
    if (request.status !== 'in_progress') {
      throw new MixgateError(
        'conflict',
        "The person's identity is not verified yet: it can only be rejected",
      );
    }
  } else if (type === 'erasure' && request.receipt !== null) {
    throw new MixgateError(
      'conflict',
      'This erasure has started deleting data: it can no longer be rejected',
    );
  }

  const resolved = await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(privacyRequests)
      .set({
        status: input.resolution,
        completedAt: now,
        handledBy: input.staffId,
        notes: [request.notes, `${input.resolution}: ${input.reason}`].filter(Boolean).join('\n'),
        blockedReason: null,
        verificationTokenHash: null,
        verificationExpiresAt: null,
      })
      .where(and(eq(privacyRequests.id, request.id), eq(privacyRequests.status, request.status)))
      .returning();
    if (!updated) throw new MixgateError('conflict', 'This request changed meanwhile; reload it');
    if (type === 'erasure') {
      await tx
        .update(users)
        .set({ status: 'active', updatedAt: now })
        .where(and(eq(users.id, request.userId), eq(users.status, 'erasing')));
    }
    await recordSecurityEvent(tx, {
      type: input.resolution === 'completed' ? 'privacy_request_completed' : 'privacy_request_rejected',
      userId: request.userId,
      actorId: input.staffId,
      ...input.meta,
      occurredAt: now,
      details: { requestId: request.id, type },
    });
    return updated;
  });
  try {
    await ctx.mailer.send(requestResolvedMail(ctx, found.email, type, input.resolution, input.reason));
  } catch {
    // The request's status is what counts; staff can write to the person again.
  }
  return resolved;
}
