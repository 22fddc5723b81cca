import { and, eq } from 'drizzle-orm';
import type { SecurityEventInput, SecurityEventType } from '../../audit/record-security-event.js';
import { organisationMembers, organisations } from '../../db/schema/index.js';
import type { DbOrTransaction, DbTransaction } from '../../db/transaction.js';
import { MixgateError } from '../../lib/errors.js';
import type { RequestMeta } from '../request-meta.js';
import { can, type OrganisationPermission } from './organisation-roles.js';

export type Membership = typeof organisationMembers.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The user's membership of the organisation, or null when either does not exist. */
export async function getMembership(
  db: DbOrTransaction,
  organisationId: string,
  userId: string,
): Promise<Membership | null> {
  // A malformed id cannot name a row; answering null keeps PostgreSQL's cast error out of the reply.
  if (!UUID.test(organisationId) || !UUID.test(userId)) return null;
  const [row] = await db
    .select()
    .from(organisationMembers)
    .where(
      and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.userId, userId)),
    )
    .limit(1);
  return row ?? null;
}

/** Outsiders learn nothing, not even whether the organisation exists. */
export function organisationNotFound(): MixgateError {
  return new MixgateError('not_found', 'No such organisation');
}

/** The caller's membership with the permission: 404 for non-members, 403 for members without it. */
export async function requirePermission(
  db: DbOrTransaction,
  organisationId: string,
  userId: string,
  permission: OrganisationPermission,
): Promise<Membership> {
  const membership = await getMembership(db, organisationId, userId);
  if (!membership) throw organisationNotFound();
  if (!can(membership.role, permission)) {
    throw new MixgateError('forbidden', `Your role (${membership.role}) does not allow this`);
  }
  if (!VIEW_PERMISSIONS.has(permission)) await refuseIfClosed(db, organisationId);
  return membership;
}

/** What members of a closed organisation may still do: look, until its content is deleted. */
const VIEW_PERMISSIONS: ReadonlySet<OrganisationPermission> = new Set(['view_members', 'view_billing']);

/** Nobody acts for a closed organisation any more (src/accounts/termination/). */
async function refuseIfClosed(db: DbOrTransaction, organisationId: string): Promise<void> {
  const [organisation] = await db
    .select({ status: organisations.status })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  if (organisation && organisation.status !== 'active') {
    throw new MixgateError('organisation_closed', 'This organisation is closed');
  }
}

/** Any member, whatever the role, may create API keys that spend the organisation's balance. */
export async function assertMemberCanUseKeys(
  db: DbOrTransaction,
  organisationId: string,
  userId: string,
): Promise<void> {
  await requirePermission(db, organisationId, userId, 'use_keys');
}

/** Locks the organisation row until the transaction ends; 404 when there is none. */
export async function lockOrganisation(
  tx: DbTransaction,
  organisationId: string,
): Promise<typeof organisations.$inferSelect> {
  if (!UUID.test(organisationId)) throw organisationNotFound();
  const [organisation] = await tx
    .select()
    .from(organisations)
    .where(eq(organisations.id, organisationId))
    .for('no key update');
  if (!organisation) throw organisationNotFound();
  return organisation;
}

/**
 * Starts a change to an organisation's members: locks the organisation row, so changes to one
 * organisation take turns (which is what keeps exactly one owner), then checks the actor inside
 * the lock, where their role can no longer change under them. Without a permission, any member passes.
 */
export async function lockForChange(
  tx: DbTransaction,
  organisationId: string,
  actorId: string,
  permission?: OrganisationPermission,
): Promise<{ organisation: typeof organisations.$inferSelect; actor: Membership }> {
  const organisation = await lockOrganisation(tx, organisationId);
  const actor = permission
    ? await requirePermission(tx, organisationId, actorId, permission)
    : await getMembership(tx, organisationId, actorId);
  if (!actor) throw organisationNotFound();
  return { organisation, actor };
}

/** Who is acting, from where and when: every change is attributed to the member who made it. */
export interface OrganisationActor {
  userId: string;
  meta: RequestMeta | null;
  now: Date;
}

/** A security event done by `actor` (attributed to them, BT: the customer answers for its members). */
export function organisationEvent(
  actor: OrganisationActor,
  type: SecurityEventType,
  userId: string | null,
  details: Record<string, unknown>,
): SecurityEventInput {
  return {
    type,
    userId,
    actorId: actor.userId,
    ip: actor.meta?.ip,
    userAgent: actor.meta?.userAgent,
    details,
    occurredAt: actor.now,
  };
}
