import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { recordSecurityEvent, type SecurityEventType } from '../../audit/record-security-event.js';
import type { Db } from '../../db/database.js';
import { organisationInvitations, organisationMembers, users } from '../../db/schema/index.js';
import type { DbOrTransaction } from '../../db/transaction.js';
import { randomToken, sha256Hex } from '../../lib/crypto.js';
import { MixgateError } from '../../lib/errors.js';
import type { RequestMeta } from '../request-meta.js';
import {
  getMembership,
  lockForChange,
  lockOrganisation,
  type OrganisationActor,
  organisationEvent,
} from './organisation-access.js';
import { canManageRole, type OrganisationRole } from './organisation-roles.js';

export const INVITATION_LIFETIME_MS = 7 * 24 * 3600_000;

// The security log has no type of its own for a withdrawn invitation yet; it is a pending member removed.
const INVITATION_REVOKED_EVENT: SecurityEventType = 'invitation_revoked';

export interface CreatedInvitation {
  id: string;
  email: string;
  role: OrganisationRole;
  expiresAt: Date;
  organisationName: string;
  /** The raw token for the e-mail; only its hash is stored. */
  token: string;
}

/** Invites an e-mail address to the organisation with a role the inviter may grant. */
export async function createInvitation(
  db: Db,
  actor: OrganisationActor,
  organisationId: string,
  input: { email: string; role: OrganisationRole },
): Promise<CreatedInvitation> {
  const email = input.email.trim().toLowerCase();
  return db.transaction(async (tx) => {
    const locked = await lockForChange(tx, organisationId, actor.userId, 'manage_members');
    if (input.role === 'owner') {
      throw new MixgateError(
        'forbidden',
        'Ownership moves only by transfer: invite them with another role, then transfer ownership',
      );
    }
    if (!canManageRole(locked.actor.role, input.role)) {
      throw new MixgateError(
        'forbidden',
        `Your role (${locked.actor.role}) may not invite ${input.role} members`,
      );
    }
    const [member] = await tx
      .select({ userId: organisationMembers.userId })
      .from(organisationMembers)
      .innerJoin(users, eq(users.id, organisationMembers.userId))
      .where(and(eq(organisationMembers.organisationId, organisationId), eq(users.email, email)))
      .limit(1);
    if (member) throw new MixgateError('conflict', 'This address belongs to a member already');
    const [pending] = await tx
      .select({ id: organisationInvitations.id })
      .from(organisationInvitations)
      .where(
        and(
          eq(organisationInvitations.organisationId, organisationId),
          eq(organisationInvitations.email, email),
          pendingAt(actor.now),
        ),
      )
      .limit(1);
    if (pending) {
      throw new MixgateError(
        'conflict',
        'An invitation to this address is pending: revoke it first to send another',
      );
    }
    const token = randomToken(32);
    const id = randomUUID();
    const expiresAt = new Date(actor.now.getTime() + INVITATION_LIFETIME_MS);
    await tx.insert(organisationInvitations).values({
      id,
      organisationId,
      email,
      role: input.role,
      tokenHash: sha256Hex(token),
      invitedBy: actor.userId,
      createdAt: actor.now,
      expiresAt,
    });
    await recordSecurityEvent(
      tx,
      organisationEvent(actor, 'member_invited', null, {
        organisationId,
        invitationId: id,
        email,
        role: input.role,
      }),
    );
    return { id, email, role: input.role, expiresAt, organisationName: locked.organisation.name, token };
  });
}

/** Withdraws a pending invitation; an admin may withdraw only the roles an admin may grant. */
export async function revokeInvitation(
  db: Db,
  actor: OrganisationActor,
  organisationId: string,
  invitationId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const locked = await lockForChange(tx, organisationId, actor.userId, 'manage_members');
    const [invitation] = await tx
      .select()
      .from(organisationInvitations)
      .where(
        and(
          eq(organisationInvitations.id, invitationId),
          eq(organisationInvitations.organisationId, organisationId),
          pendingAt(actor.now),
        ),
      )
      .limit(1);
    if (!invitation) throw new MixgateError('not_found', 'No such pending invitation');
    if (!canManageRole(locked.actor.role, invitation.role)) {
      throw new MixgateError(
        'forbidden',
        `Your role (${locked.actor.role}) may not revoke a ${invitation.role} invitation`,
      );
    }
    await tx
      .update(organisationInvitations)
      .set({ revokedAt: actor.now })
      .where(eq(organisationInvitations.id, invitationId));
    await recordSecurityEvent(
      tx,
      organisationEvent(actor, INVITATION_REVOKED_EVENT, null, {
        organisationId,
        invitationId,
        email: invitation.email,
        role: invitation.role,
      }),
    );
  });
}

/**
 * Joins the signed-in user to the organisation. The invitation is bound to an e-mail address, so a
 * forwarded link is useless to anyone else; it works once, and only while its inviter could still
 * grant the role.
 */
export async function acceptInvitation(
  db: Db,
  user: { userId: string; email: string },
  token: string,
  meta: RequestMeta | null,
  now: Date,
): Promise<{ organisationId: string; role: string }> {
  const tokenHash = sha256Hex(token);
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ organisationId: organisationInvitations.organisationId })
      .from(organisationInvitations)
      .where(eq(organisationInvitations.tokenHash, tokenHash))
      .limit(1);
    if (!found) throw invalidInvitation();
    // Same lock order as every other membership change: the organisation first, then its rows.
    await lockOrganisation(tx, found.organisationId);
    const [invitation] = await tx
      .select()
      .from(organisationInvitations)
      .where(eq(organisationInvitations.tokenHash, tokenHash))
      .for('update');
    if (!invitation || invitation.revokedAt || invitation.expiresAt.getTime() <= now.getTime()) {
      throw invalidInvitation();
    }
    if (invitation.acceptedAt) throw new MixgateError('conflict', 'This invitation has already been used');
    if (invitation.email.toLowerCase() !== user.email.toLowerCase()) {
      throw new MixgateError(
        'forbidden',
        'This invitation was sent to another e-mail address: sign in with that address to accept it',
      );
    }
    if (await getMembership(tx, invitation.organisationId, user.userId)) {
      throw new MixgateError('conflict', 'You are already a member of this organisation');
    }
    const inviter = await getMembership(tx, invitation.organisationId, invitation.invitedBy);
    if (!inviter || !canManageRole(inviter.role, invitation.role)) throw invalidInvitation();
    await tx.insert(organisationMembers).values({
      organisationId: invitation.organisationId,
      userId: user.userId,
      role: invitation.role,
      addedBy: invitation.invitedBy,
      createdAt: now,
    });
    await tx
      .update(organisationInvitations)
      .set({ acceptedAt: now })
      .where(eq(organisationInvitations.id, invitation.id));
    await recordSecurityEvent(tx, {
      type: 'member_joined',
      userId: user.userId,
      actorId: user.userId,
      ip: meta?.ip,
      userAgent: meta?.userAgent,
      details: {
        organisationId: invitation.organisationId,
        invitationId: invitation.id,
        role: invitation.role,
        invitedBy: invitation.invitedBy,
      },
      occurredAt: now,
    });
    return { organisationId: invitation.organisationId, role: invitation.role };
  });
}

/** Invitations still waiting for an answer, oldest first. */
export async function listPendingInvitations(db: DbOrTransaction, organisationId: string, now: Date) {
  return db
    .select({
      id: organisationInvitations.id,
      email: organisationInvitations.email,
      role: organisationInvitations.role,
      invitedBy: organisationInvitations.invitedBy,
      createdAt: organisationInvitations.createdAt,
      expiresAt: organisationInvitations.expiresAt,
    })
    .from(organisationInvitations)
    .where(and(eq(organisationInvitations.organisationId, organisationId), pendingAt(now)))
    .orderBy(asc(organisationInvitations.createdAt));
}

function pendingAt(now: Date) {
  return and(
    isNull(organisationInvitations.acceptedAt),
    isNull(organisationInvitations.revokedAt),
    gt(organisationInvitations.expiresAt, now),
  );
}

function invalidInvitation(): MixgateError {
  return new MixgateError(
    'invalid_request',
    'This invitation is invalid, withdrawn or expired: ask for a new one',
  );
}
