/**
 * Closing an organisation, by its owner or by the operator: at once, every API key acting for it is
 * revoked, its invitations are cancelled and its wallet pays for nothing more (resolveSpender and
 * the organisation's permissions refuse a closed one); requests already running settle as usual,
 * while its long generations still queued or running are cancelled.
 * Members keep their own accounts. The content stays for the grace period, during which the
 * operator can reopen it; then the retention sweep deletes it (erase-organisation-content.ts).
 */
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { AppContext } from '../../app-context.js';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import {
  apiKeys,
  organisationInvitations,
  organisationMembers,
  organisations,
  users,
} from '../../db/schema/index.js';
import type { DbTransaction } from '../../db/transaction.js';
import { readBalance } from '../../ledger/read-balance.js';
import { MixgateError } from '../../lib/errors.js';
import { cancelUnfinishedJobs, forgetRevokedKeys } from '../../privacy/requests/lock-out-user.js';
import { sendMailSafely } from '../account-mails.js';
import {
  getMembership,
  lockOrganisation,
  organisationNotFound,
} from '../organisations/organisation-access.js';
import { can } from '../organisations/organisation-roles.js';
import type { Closure } from './close-account.js';
import { contentDeletedAfter } from './grace-period.js';
import { refuseStaffTarget, type TerminationActor } from './termination-actor.js';
import { organisationClosedMail, organisationReopenedMail } from './termination-mails.js';

type Log = { warn: (obj: object, msg: string) => void };

/** What the transaction closed, for the steps that follow its commit. */
export interface ClosedOrganisation {
  id: string;
  name: string;
  keyHashes: string[];
}

export async function closeOrganisation(
  ctx: AppContext,
  organisationId: string,
  actor: TerminationActor,
  log: Log,
): Promise<Closure> {
  const now = ctx.now();
  const closed = await ctx.db.transaction(async (tx) => {
    const organisation = await lockOrganisation(tx, organisationId);
    await authorise(tx, organisationId, actor);
    return markOrganisationClosed(tx, organisation, actor, now, 'closed');
  });
  return finishOrganisationClosure(ctx, closed, actor.reason, now, log);
}

/**
 * Closing an account closes, in its transaction, the organisations its holder owns alone: nobody
 * else acts for them, and their keys and wallet must stop with the account. The holder is the one
 * who closed them (no second password: the account closure was authorised). Organisations with other
 * members never get here: the account closure is refused until their ownership is transferred.
 * The caller runs `finishOrganisationClosure` on each after commit, with the holder's account mail.
 */
export async function closeOrganisationsOwnedAlone(
  tx: DbTransaction,
  owner: Pick<TerminationActor, 'id' | 'meta'>,
  now: Date,
): Promise<ClosedOrganisation[]> {
  const owned = await tx
    .select({ id: organisationMembers.organisationId })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(
      and(
        eq(organisationMembers.userId, owner.id),
        eq(organisationMembers.role, 'owner'),
        eq(organisations.status, 'active'),
      ),
    )
    .orderBy(organisations.id);
  const closed: ClosedOrganisation[] = [];
  for (const { id } of owned) {
    // Locked before its members are counted, so nobody joins between the count and the closure.
    const organisation = await lockOrganisation(tx, id);
    const [other] = await tx
      .select({ userId: organisationMembers.userId })
      .from(organisationMembers)
      .where(and(eq(organisationMembers.organisationId, id), ne(organisationMembers.userId, owner.id)))
      .limit(1);
    if (other || organisation.status !== 'active') continue;
    const actor = { id: owner.id, reason: null, meta: owner.meta };
    closed.push(await markOrganisationClosed(tx, organisation, actor, now, 'closed_with_owner_account'));
  }
  return closed;
}

async function markOrganisationClosed(
  tx: DbTransaction,
  organisation: typeof organisations.$inferSelect,
  actor: TerminationActor,
  now: Date,
  how: 'closed' | 'closed_with_owner_account',
): Promise<ClosedOrganisation> {
  const organisationId = organisation.id;
  if (organisation.status !== 'active') {
    throw new MixgateError('conflict', `The organisation is ${organisation.status}`, 409, {
      status: organisation.status,
    });
  }
  await tx
    .update(organisations)
    .set({ status: 'closed', closedAt: now, closedBy: actor.id, closureReason: actor.reason })
    .where(eq(organisations.id, organisationId));
  const revokedKeys = await tx
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.organisationId, organisationId), isNull(apiKeys.revokedAt)))
    .returning({ keyHash: apiKeys.keyHash });
  const cancelled = await tx
    .update(organisationInvitations)
    .set({ revokedAt: now })
    .where(
      and(
        eq(organisationInvitations.organisationId, organisationId),
        isNull(organisationInvitations.acceptedAt),
        isNull(organisationInvitations.revokedAt),
      ),
    )
    .returning({ id: organisationInvitations.id });
  await recordSecurityEvent(tx, {
    type: 'organisation_closed',
    actorId: actor.id,
    ...actor.meta,
    occurredAt: now,
    details: {
      organisationId,
      by: actor.reason === null ? 'owner' : 'operator',
      ...(actor.reason === null ? {} : { reason: actor.reason }),
      ...(how === 'closed_with_owner_account' ? { withOwnerAccount: true } : {}),
      apiCredentialsRevoked: revokedKeys.length,
      invitationsCancelled: cancelled.length,
    },
  });
  return { id: organisationId, name: organisation.name, keyHashes: revokedKeys.map((key) => key.keyHash) };
}

/**
 * After commit: the revoked keys leave this instance's cache, unfinished long generations are
 * cancelled (nothing is charged for them: a closed wallet pays for nothing more), and the members
 * are mailed the dates and the balance.
 */
export async function finishOrganisationClosure(
  ctx: AppContext,
  closed: ClosedOrganisation,
  reason: string | null,
  now: Date,
  log: Log,
  withOwnerAccount = false,
): Promise<Closure> {
  forgetRevokedKeys(ctx, closed.keyHashes);
  await cancelUnfinishedJobs(ctx, closed.id, 'organisation');

  const closure = { closedAt: now, contentDeletedAfter: contentDeletedAfter(now, ctx.config) };
  const { balance } = await readBalance(ctx.db, { organisationId: closed.id });
  const notice = { ...closure, balance, reason };
  for (const email of await memberEmails(ctx, closed.id)) {
    await sendMailSafely(ctx, organisationClosedMail(ctx, email, closed.name, notice, withOwnerAccount), log);
  }
  return closure;
}

/**
 * Reopens a closed organisation during its grace period. Its keys and invitations stay revoked
 * (members make new ones). Once its content was deleted, it is too late.
 */
export async function reopenOrganisation(
  ctx: AppContext,
  organisationId: string,
  actor: TerminationActor,
  log: Log,
): Promise<void> {
  const now = ctx.now();
  const name = await ctx.db.transaction(async (tx) => {
    const organisation = await lockOrganisation(tx, organisationId);
    if (organisation.status !== 'closed') {
      throw new MixgateError('conflict', `The organisation is ${organisation.status}, not closed`, 409, {
        status: organisation.status,
      });
    }
    if (organisation.contentErasedAt) {
      throw new MixgateError(
        'conflict',
        "The organisation's content was deleted; it cannot be reopened",
        409,
      );
    }
    await tx
      .update(organisations)
      .set({ status: 'active', closedAt: null, closedBy: null, closureReason: null })
      .where(eq(organisations.id, organisationId));
    await recordSecurityEvent(tx, {
      type: 'organisation_reopened',
      actorId: actor.id,
      ...actor.meta,
      occurredAt: now,
      details: {
        organisationId,
        closedAt: organisation.closedAt?.toISOString() ?? null,
        ...(actor.reason === null ? {} : { reason: actor.reason }),
      },
    });
    return organisation.name;
  });
  for (const email of await memberEmails(ctx, organisationId)) {
    await sendMailSafely(ctx, organisationReopenedMail(ctx, email, name), log);
  }
}

/**
 * The owner closes (404 for outsiders, who learn nothing; 403 for other members). Staff terminate
 * any organisation but one owned by themselves or by another staff member.
 */
async function authorise(tx: DbTransaction, organisationId: string, actor: TerminationActor): Promise<void> {
  if (actor.reason === null) {
    const membership = await getMembership(tx, organisationId, actor.id);
    if (!membership) throw organisationNotFound();
    if (!can(membership.role, 'delete_organisation')) {
      throw new MixgateError('forbidden', 'Only the owner can close the organisation');
    }
    return;
  }
  const [owner] = await tx
    .select({ id: users.id, staffRole: users.staffRole })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(
      and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.role, 'owner')),
    );
  if (owner) refuseStaffTarget(owner, actor.id);
}

/** Everyone still a member whose address still reaches them (not an erased account). */
async function memberEmails(ctx: AppContext, organisationId: string): Promise<string[]> {
  const rows = await ctx.db
    .select({ email: users.email })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(and(eq(organisationMembers.organisationId, organisationId), ne(users.status, 'erased')));
  return rows.map((row) => row.email);
}
