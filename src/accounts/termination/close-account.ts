/**
 * Closing an account, by its holder or by the operator (termination): at once, sign-in, sessions
 * and API keys stop and nothing more is spent; requests already running settle as usual (the ledger
 * is not touched here). The organisations the holder owns alone close with the account, the same
 * way. The content stays for the grace period, during which the operator can reopen the account;
 * then the retention sweep starts its erasure (termination-retention-rules.ts).
 */
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../../app-context.js';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import { privacyRequests, users } from '../../db/schema/index.js';
import { readBalance } from '../../ledger/read-balance.js';
import { MixgateError } from '../../lib/errors.js';
import { ownedOrganisationBlocker } from '../../privacy/requests/erasure-blockers.js';
import { cancelUnfinishedJobs, endAccess, forgetRevokedKeys } from '../../privacy/requests/lock-out-user.js';
import { sendMailSafely } from '../account-mails.js';
import { closeOrganisationsOwnedAlone, finishOrganisationClosure } from './close-organisation.js';
import { contentDeletedAfter } from './grace-period.js';
import { refuseStaffTarget, type TerminationActor } from './termination-actor.js';
import { accountClosedMail, accountReopenedMail } from './termination-mails.js';

export interface Closure {
  closedAt: Date;
  contentDeletedAfter: Date;
}

type Log = { warn: (obj: object, msg: string) => void };

export async function closeAccount(
  ctx: AppContext,
  userId: string,
  actor: TerminationActor,
  log: Log,
): Promise<Closure> {
  const now = ctx.now();
  // A legal hold does not stop a closure: it only delays the deletion after the grace period.
  const blocker = await ownedOrganisationBlocker(ctx.db, userId, 'close the account again');
  if (blocker) throw new MixgateError('conflict', blocker.message, 409, { reason: blocker.code });

  const { email, keyHashes, organisations } = await ctx.db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user) throw new MixgateError('not_found', 'No such user');
    if (actor.reason !== null) refuseStaffTarget(user, actor.id);
    if (user.status !== 'active' && user.status !== 'suspended') {
      throw new MixgateError('conflict', `The account is ${user.status}`, 409, { status: user.status });
    }
    await tx
      .update(users)
      .set({
        status: 'closed',
        closedAt: now,
        closedBy: actor.id,
        closureReason: actor.reason,
        updatedAt: now,
      })
      .where(eq(users.id, userId));
    const { sessionsEnded, keyHashes } = await endAccess(tx, userId, now);
    const organisations = await closeOrganisationsOwnedAlone(tx, { id: userId, meta: actor.meta }, now);
    await recordSecurityEvent(tx, {
      type: 'account_closed',
      userId,
      actorId: actor.id,
      ...actor.meta,
      occurredAt: now,
      details: {
        by: actor.reason === null ? 'holder' : 'operator',
        ...(actor.reason === null ? {} : { reason: actor.reason }),
        previousStatus: user.status,
        sessionsEnded,
        apiCredentialsRevoked: keyHashes.length,
        organisationsClosed: organisations.length,
      },
    });
    return { email: user.email, keyHashes, organisations };
  });
  forgetRevokedKeys(ctx, keyHashes);
  await cancelUnfinishedJobs(ctx, userId);
  for (const organisation of organisations) {
    await finishOrganisationClosure(ctx, organisation, null, now, log, true);
  }

  const closure = { closedAt: now, contentDeletedAfter: contentDeletedAfter(now, ctx.config) };
  const { balance } = await readBalance(ctx.db, { userId });
  await sendMailSafely(
    ctx,
    accountClosedMail(ctx, email, { ...closure, balance, reason: actor.reason }),
    log,
  );
  return closure;
}

/**
 * Reopens a closed account during its grace period: it becomes active again and its holder signs in
 * (the revoked keys and sessions stay revoked). Once the erasure has started, it is too late.
 */
export async function reopenAccount(
  ctx: AppContext,
  userId: string,
  actor: TerminationActor,
  log: Log,
): Promise<void> {
  const now = ctx.now();
  const email = await ctx.db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!user) throw new MixgateError('not_found', 'No such user');
    if (user.status !== 'closed') {
      throw new MixgateError('conflict', `The account is ${user.status}, not closed`, 409, {
        status: user.status,
      });
    }
    const [erasure] = await tx
      .select({ id: privacyRequests.id })
      .from(privacyRequests)
      .where(
        and(
          eq(privacyRequests.userId, userId),
          eq(privacyRequests.type, 'erasure'),
          eq(privacyRequests.status, 'in_progress'),
        ),
      )
      .limit(1);
    if (erasure) {
      throw new MixgateError(
        'conflict',
        'The deletion of this account has started; it cannot be reopened',
        409,
        {
          requestId: erasure.id,
        },
      );
    }
    await tx
      .update(users)
      .set({ status: 'active', closedAt: null, closedBy: null, closureReason: null, updatedAt: now })
      .where(eq(users.id, userId));
    await recordSecurityEvent(tx, {
      type: 'account_reopened',
      userId,
      actorId: actor.id,
      ...actor.meta,
      occurredAt: now,
      details: {
        closedAt: user.closedAt?.toISOString() ?? null,
        ...(actor.reason === null ? {} : { reason: actor.reason }),
      },
    });
    return user.email;
  });
  await sendMailSafely(ctx, accountReopenedMail(ctx, email), log);
}
