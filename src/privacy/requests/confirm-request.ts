import { and, eq, gt } from 'drizzle-orm';
import type { RequestMeta } from '../../accounts/request-meta.js';
import type { AppContext } from '../../app-context.js';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import { privacyRequests } from '../../db/schema/index.js';
import { sha256Hex } from '../../lib/crypto.js';
import { MixgateError } from '../../lib/errors.js';
import { refuseBlockedErasure, startErasure } from './create-request.js';
import { cancelUnfinishedJobs, forgetRevokedKeys } from './lock-out-user.js';
import type { PrivacyRequest } from './request-kinds.js';

const INVALID_LINK = 'This link is invalid, already used or expired';

/**
 * The account holder opened the link mailed for a request staff entered: their identity is
 * verified and the request starts. Needs no session (the link may be opened on any device). An
 * erasure that something blocks is refused and the link stays usable, so it can be confirmed once
 * the block is gone.
 */
export async function confirmRequest(
  ctx: AppContext,
  token: string,
  meta: RequestMeta,
): Promise<PrivacyRequest> {
  const now = ctx.now();
  const tokenHash = sha256Hex(token);
  const pending = and(
    eq(privacyRequests.verificationTokenHash, tokenHash),
    eq(privacyRequests.status, 'awaiting_verification'),
    gt(privacyRequests.verificationExpiresAt, now),
  );
  const [found] = await ctx.db.select().from(privacyRequests).where(pending);
  if (!found) throw new MixgateError('invalid_request', INVALID_LINK);
  if (found.type === 'erasure') await refuseBlockedErasure(ctx, found.userId, found.userId, meta, now);
  const { request, keyHashes } = await ctx.db.transaction(async (tx) => {
    // Conditional on the token still being there: two clicks at once verify once.
    const [request] = await tx
      .update(privacyRequests)
      .set({
        status: 'in_progress',
        verifiedAt: now,
        verification: 'email_link',
        verificationTokenHash: null,
        verificationExpiresAt: null,
      })
      .where(pending)
      .returning();
    if (!request) throw new MixgateError('invalid_request', INVALID_LINK);
    await recordSecurityEvent(tx, {
      type: 'privacy_request_verified',
      userId: request.userId,
      actorId: request.userId,
      ...meta,
      occurredAt: now,
      details: { requestId: request.id, type: request.type, verification: 'email_link' },
    });
    const keyHashes = request.type === 'erasure' ? await startErasure(tx, request, request.userId, now) : [];
    return { request, keyHashes };
  });
  forgetRevokedKeys(ctx, keyHashes);
  if (request.type === 'erasure') await cancelUnfinishedJobs(ctx, request.userId);
  return request;
}
