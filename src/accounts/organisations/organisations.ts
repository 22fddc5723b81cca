import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import type { Db } from '../../db/database.js';
import { apiKeys, organisationMembers, organisations, users } from '../../db/schema/index.js';
import type { DbOrTransaction, DbTransaction } from '../../db/transaction.js';
import { forgetSpendCounters, memberScope } from '../../ledger/spend-counters.js';
import type { SpendLimitPeriod } from '../../ledger/spend-periods.js';
import { MixgateError } from '../../lib/errors.js';
import { formatAmount } from '../../lib/money.js';
import { listPendingInvitations } from './invitations.js';
import {
  getMembership,
  lockForChange,
  type Membership,
  type OrganisationActor,
  organisationEvent,
  organisationNotFound,
} from './organisation-access.js';
import { can, canManageRole, type OrganisationRole } from './organisation-roles.js';

/** Creates an organisation whose creator, having confirmed authority to bind it, becomes its owner. */
export async function createOrganisation(
  db: Db,
  actor: OrganisationActor,
  input: { name: string; authorityConfirmed: true },
): Promise<typeof organisations.$inferSelect> {
  const organisation = {
    id: randomUUID(),
    name: input.name,
    createdBy: actor.userId,
    authorityConfirmedAt: actor.now,
    status: 'active',
    closedAt: null,
    closedBy: null,
    closureReason: null,
    contentErasedAt: null,
    createdAt: actor.now,
  };
  await db.transaction(async (tx) => {
    await tx.insert(organisations).values(organisation);
    await tx.insert(organisationMembers).values({
      organisationId: organisation.id,
      userId: actor.userId,
      role: 'owner',
      addedBy: actor.userId,
      createdAt: actor.now,
    });
    await recordSecurityEvent(
      tx,
      organisationEvent(actor, 'organisation_created', actor.userId, {
        organisationId: organisation.id,
        name: input.name,
        authorityConfirmed: true,
      }),
    );
  });
  return organisation;
}

/** The organisations the user belongs to, with the user's role in each. */
export async function listMyOrganisations(db: DbOrTransaction, userId: string) {
  return db
    .select({
      id: organisations.id,
      name: organisations.name,
      createdAt: organisations.createdAt,
      role: organisationMembers.role,
      spendLimitMicros: organisationMembers.spendLimitMicros,
      spendLimitPeriod: organisationMembers.spendLimitPeriod,
      joinedAt: organisationMembers.createdAt,
    })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(eq(organisationMembers.userId, userId))
    .orderBy(asc(organisations.name), asc(organisations.id));
}

/**
 * One organisation as the caller may see it: roles that may view members see all of them, a plain
 * member sees only themselves; pending invitations only for those who manage members.
 */
export async function getOrganisationDetails(
  db: DbOrTransaction,
  organisationId: string,
  userId: string,
  now: Date,
) {
  const membership = await getMembership(db, organisationId, userId);
  if (!membership) throw organisationNotFound();
  const [organisation] = await db.select().from(organisations).where(eq(organisations.id, organisationId));
  if (!organisation) throw organisationNotFound();
  const members = await db
    .select({
      userId: organisationMembers.userId,
      username: users.username,
      email: users.email,
      role: organisationMembers.role,
      spendLimitMicros: organisationMembers.spendLimitMicros,
      spendLimitPeriod: organisationMembers.spendLimitPeriod,
      addedBy: organisationMembers.addedBy,
      joinedAt: organisationMembers.createdAt,
    })
    .from(organisationMembers)
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(
      and(
        eq(organisationMembers.organisationId, organisationId),
        can(membership.role, 'view_members') ? undefined : eq(organisationMembers.userId, userId),
      ),
    )
    .orderBy(asc(organisationMembers.createdAt), asc(organisationMembers.userId));
  const invitations = can(membership.role, 'manage_members')
    ? await listPendingInvitations(db, organisationId, now)
    : null;
  return { organisation, role: membership.role, members, invitations };
}

export interface MemberChange {
  role?: OrganisationRole;
  /** null removes the limit; undefined leaves it as it is. */
  spendLimitMicros?: bigint | null;
  spendLimitPeriod?: SpendLimitPeriod;
}

/** Changes a member's role or spend limit, within what the actor's role may manage. */
export async function updateMember(
  db: Db,
  actor: OrganisationActor,
  organisationId: string,
  userId: string,
  change: MemberChange,
): Promise<Membership> {
  return db.transaction(async (tx) => {
    const locked = await lockForChange(tx, organisationId, actor.userId, 'manage_members');
    const target = await requireMember(tx, organisationId, userId);
    const roleChanges = change.role !== undefined && change.role !== target.role;
    if (roleChanges) {
      if (change.role === 'owner' || target.role === 'owner') {
        throw new MixgateError('forbidden', 'Ownership moves only by transfer-ownership');
      }
      if (!canManageRole(locked.actor.role, target.role) || !canManageRole(locked.actor.role, change.role!)) {
        throw new MixgateError('forbidden', `Your role (${locked.actor.role}) may not make this change`);
      }
    }
    const limitChanges =
      (change.spendLimitMicros !== undefined && change.spendLimitMicros !== target.spendLimitMicros) ||
      (change.spendLimitPeriod !== undefined && change.spendLimitPeriod !== target.spendLimitPeriod);
    if (limitChanges && locked.actor.role !== 'owner' && !canManageRole(locked.actor.role, target.role)) {
      throw new MixgateError(
        'forbidden',
        `Your role (${locked.actor.role}) may not change this member's spend limit`,
      );
    }
    if (!roleChanges && !limitChanges) return target;
    const [updated] = await tx
      .update(organisationMembers)
      .set({
        role: roleChanges ? change.role : undefined,
        spendLimitMicros: limitChanges ? change.spendLimitMicros : undefined,
        spendLimitPeriod: limitChanges ? change.spendLimitPeriod : undefined,
      })
      .where(
        and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, userId)),
      )
      .returning();
    await recordSecurityEvent(
      tx,
      // A role change is a permission change; a spend-limit-only change is a member update.
      organisationEvent(actor, roleChanges ? 'role_changed' : 'member_updated', userId, {
        organisationId,
        ...(roleChanges ? { role: { from: target.role, to: change.role } } : {}),
        ...(limitChanges
          ? {
              spendLimit: {
                from: formatSpendLimit(target.spendLimitMicros),
                to: formatSpendLimit(
                  change.spendLimitMicros === undefined ? target.spendLimitMicros : change.spendLimitMicros,
                ),
                period: change.spendLimitPeriod ?? target.spendLimitPeriod,
              },
            }
          : {}),
      }),
    );
    if (limitChanges) await forgetSpendCounters(tx, memberScope(organisationId, userId));
    return updated!;
  });
}

/**
 * Removes a member, or lets a member leave. The owner can do neither (transfer ownership first).
 * The member's API keys for the organisation are revoked with the membership; their hashes are
 * returned so the caller can drop them from the key cache.
 */
export async function removeMember(
  db: Db,
  actor: OrganisationActor,
  organisationId: string,
  userId: string,
): Promise<{ revokedKeyHashes: string[] }> {
  return db.transaction(async (tx) => {
    const locked = await lockForChange(tx, organisationId, actor.userId);
    const leaving = userId.toLowerCase() === actor.userId.toLowerCase();
    if (!leaving && !can(locked.actor.role, 'manage_members')) {
      throw new MixgateError('forbidden', `Your role (${locked.actor.role}) may not remove members`);
    }
    const target = leaving ? locked.actor : await requireMember(tx, organisationId, userId);
    if (target.role === 'owner') {
      throw new MixgateError('forbidden', 'The owner cannot be removed or leave: transfer ownership first');
    }
    if (!leaving && !canManageRole(locked.actor.role, target.role)) {
      throw new MixgateError('forbidden', `Your role (${locked.actor.role}) may not remove a ${target.role}`);
    }
    await tx
      .delete(organisationMembers)
      .where(
        and(
          eq(organisationMembers.organisationId, organisationId),
          eq(organisationMembers.userId, target.userId),
        ),
      );
    const revoked = await revokeOrganisationKeys(tx, actor, organisationId, target.userId);
    await recordSecurityEvent(
      tx,
      organisationEvent(actor, 'member_removed', target.userId, {
        organisationId,
        role: target.role,
        left: leaving,
      }),
    );
    return { revokedKeyHashes: revoked };
  });
}

/** Hands ownership to another member; the previous owner stays on as admin. One transaction, one owner. */
export async function transferOwnership(
  db: Db,
  actor: OrganisationActor,
  organisationId: string,
  userId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await lockForChange(tx, organisationId, actor.userId, 'transfer_ownership');
    if (userId.toLowerCase() === actor.userId.toLowerCase()) {
      throw new MixgateError('invalid_request', 'You own this organisation already');
    }
    const target = await requireMember(tx, organisationId, userId);
    await setRole(tx, organisationId, target.userId, 'owner');
    await setRole(tx, organisationId, actor.userId, 'admin');
    await recordSecurityEvent(
      tx,
      organisationEvent(actor, 'ownership_transferred', target.userId, {
        organisationId,
        previousOwnerId: actor.userId,
        newOwnerId: target.userId,
        newOwnerPreviousRole: target.role,
      }),
    );
  });
}

async function requireMember(tx: DbTransaction, organisationId: string, userId: string): Promise<Membership> {
  const member = await getMembership(tx, organisationId, userId);
  if (!member) throw new MixgateError('not_found', 'No such member');
  return member;
}

async function setRole(tx: DbTransaction, organisationId: string, userId: string, role: OrganisationRole) {
  await tx
    .update(organisationMembers)
    .set({ role })
    .where(
      and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, userId)),
    );
}

/** A former member must not keep spending the organisation's balance through keys made as a member. */
async function revokeOrganisationKeys(
  tx: DbTransaction,
  actor: OrganisationActor,
  organisationId: string,
  userId: string,
): Promise<string[]> {
  const revoked = await tx
    .update(apiKeys)
    .set({ revokedAt: actor.now })
    .where(
      and(eq(apiKeys.userId, userId), eq(apiKeys.organisationId, organisationId), isNull(apiKeys.revokedAt)),
    )
    .returning({ id: apiKeys.id, prefix: apiKeys.prefix, keyHash: apiKeys.keyHash });
  for (const key of revoked) {
    await recordSecurityEvent(
      tx,
      organisationEvent(actor, 'api_key_revoked', userId, {
        keyId: key.id,
        keyPrefix: key.prefix,
        organisationId,
        reason: 'membership_ended',
      }),
    );
  }
  return revoked.map((key) => key.keyHash);
}

/** Spend limits cross the API as decimal strings; null means no limit. */
export function formatSpendLimit(micros: bigint | null): string | null {
  return micros === null ? null : formatAmount(micros);
}
