/**
 * What each organisation role may do, mirrored from the server (src/accounts/organisations/
 * organisation-roles.ts) so the page offers only the actions the server would allow; the server
 * still decides.
 */
import type { MessageKey, Translate } from '../../i18n';

export const ORGANISATION_ROLES = ['owner', 'admin', 'billing', 'member'] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];

type Permission =
  | 'view_members'
  | 'view_billing'
  | 'manage_members'
  | 'transfer_ownership'
  | 'close_organisation';

const PERMISSIONS: Record<OrganisationRole, readonly Permission[]> = {
  owner: ['view_members', 'view_billing', 'manage_members', 'transfer_ownership', 'close_organisation'],
  admin: ['view_members', 'view_billing', 'manage_members'],
  billing: ['view_members', 'view_billing'],
  member: [],
};

export const ROLE_LABELS: Record<OrganisationRole, MessageKey> = {
  owner: 'organisation.roleOwner',
  admin: 'organisation.roleAdmin',
  billing: 'organisation.roleBilling',
  member: 'organisation.roleMember',
};

export const ROLE_DESCRIPTIONS: Record<OrganisationRole, MessageKey> = {
  owner: 'organisation.roleOwnerText',
  admin: 'organisation.roleAdminText',
  billing: 'organisation.roleBillingText',
  member: 'organisation.roleMemberText',
};

export const ROLE_COLORS: Record<OrganisationRole, string> = {
  owner: 'grape',
  admin: 'blue',
  billing: 'teal',
  member: 'gray',
};

function isRole(value: string): value is OrganisationRole {
  return (ORGANISATION_ROLES as readonly string[]).includes(value);
}

export function roleLabel(role: string, t: Translate): string {
  return isRole(role) ? t(ROLE_LABELS[role]) : role;
}

/** What the role may do, in a sentence; empty for a role this page does not know. */
export function roleDescription(role: string, t: Translate): string {
  return isRole(role) ? t(ROLE_DESCRIPTIONS[role]) : '';
}

export function roleColor(role: string): string {
  return isRole(role) ? ROLE_COLORS[role] : 'gray';
}

export function can(role: string, permission: Permission): boolean {
  return isRole(role) && PERMISSIONS[role].includes(permission);
}

/** Owner manages every role but owner; an admin only billing and member. */
export function canManageRole(actorRole: string, role: string): boolean {
  if (!can(actorRole, 'manage_members') || role === 'owner') return false;
  return actorRole === 'owner' || role === 'billing' || role === 'member';
}

/** The roles this actor may grant, for invitation and role pickers. */
export function grantableRoles(actorRole: string): OrganisationRole[] {
  return ORGANISATION_ROLES.filter((role) => canManageRole(actorRole, role));
}
