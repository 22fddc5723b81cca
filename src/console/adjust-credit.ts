import { eq } from 'drizzle-orm';
import type { RequestMeta } from '../accounts/request-meta.js';
import type { AppContext } from '../app-context.js';
import { users } from '../db/schema/index.js';
import { type AdjustmentResult, creditManually, debitManually } from '../ledger/manual-adjustments.js';
import { MixgateError } from '../lib/errors.js';

export interface CreditAdjustmentInput {
  targetId: string;
  actorId: string;
  direction: 'credit' | 'debit';
  /** Micros, > 0. */
  amount: bigint;
  reason: string;
  /** The client's key for retrying this request; scoped to the member of staff who sends it. */
  idempotencyKey?: string;
  meta: RequestMeta;
}

/**
 * A staff correction of a user's credit, logged with its reason. Nobody adjusts their own wallet:
 * a second member of staff has to, so one account cannot mint credit for itself.
 */
export async function adjustCredit(ctx: AppContext, input: CreditAdjustmentInput): Promise<AdjustmentResult> {
  if (input.targetId === input.actorId) {
    throw new MixgateError('forbidden', 'You cannot adjust your own credit; ask another member of staff');
  }
  const [target] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.id, input.targetId));
  if (!target) throw new MixgateError('not_found', 'No such user');
  const adjust = input.direction === 'credit' ? creditManually : debitManually;
  return adjust(ctx.db, {
    owner: { userId: input.targetId },
    amount: input.amount,
    reason: input.reason,
    actor: { staffUserId: input.actorId },
    idempotencyKey:
      input.idempotencyKey === undefined ? undefined : `console:${input.actorId}:${input.idempotencyKey}`,
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    now: ctx.now(),
  });
}
