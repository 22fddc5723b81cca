/**
 * The roles of an organisation's members and what each may do. The customer answers for its end
 * users (BT Agreement), so each role gets the least it needs.
 */
export const ORGANISATION_ROLES = ['owner', 'admin', 'billing', 'member'] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];

export type OrganisationPermission =
  /** Create API keys that spend the organisation's balance. */
  | 'use_keys'
  /** See every member (username, e-mail, role, spend limit). */
  | 'view_members'
  | 'view_billing'
  /** Invite, revoke invitations, change roles and spend limits, remove members. */
  | 'manage_members'
  | 'transfer_ownership'
  | 'delete_organisation';

const PERMISSIONS: Record<OrganisationRole, ReadonlySet<OrganisationPermission>> = {
  owner: new Set([
    'use_keys',
    'view_members',
    'view_billing',
    'manage_members',
    'transfer_ownership',
    'delete_organisation',
  ]),
  admin: new Set(['use_keys', 'view_members', 'view_billing', 'manage_members']),
  billing: new Set(['use_keys', 'view_members', 'view_billing']),
  member: new Set(['use_keys']),
};

/** Roles an admin may hand out or take away; owner and admin roles are the owner's to manage. */
const ADMIN_MANAGEABLE: ReadonlySet<OrganisationRole> = new Set(['billing', 'member']);

export function isOrganisationRole(value: string): value is OrganisationRole {
  return (ORGANISATION_ROLES as readonly string[]).includes(value);
}

/** A role read from the database; anything unknown has no permissions at all. */
export function can(role: string, permission: OrganisationPermission): boolean {
  return isOrganisationRole(role) && PERMISSIONS[role].has(permission);
}

/**
 * Whether `actorRole` may manage a member (or invitation) that holds `role`: change it, remove it,
 * revoke it, or grant it. Nobody grants the owner role this way: ownership moves only by transfer.
 */
export function canManageRole(actorRole: string, role: string): boolean {
  if (!can(actorRole, 'manage_members') || role === 'owner') return false;
  return actorRole === 'owner' || (isOrganisationRole(role) && ADMIN_MANAGEABLE.has(role));
}
