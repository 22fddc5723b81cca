/**
 * What each organisation role may do, mirrored from the server (src/accounts/organisations/
 * organisation-roles.ts) so the page offers only the actions the server would allow; the server
 * still decides.
 */
export const ORGANISATION_ROLES = ['owner', 'admin', 'billing', 'member'] as const;
export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];

type Permission = 'view_members' | 'view_billing' | 'manage_members' | 'transfer_ownership';

const PERMISSIONS: Record<OrganisationRole, readonly Permission[]> = {
  owner: ['view_members', 'view_billing', 'manage_members', 'transfer_ownership'],
  admin: ['view_members', 'view_billing', 'manage_members'],
  billing: ['view_members', 'view_billing'],
  member: [],
};

export const ROLE_LABELS: Record<OrganisationRole, string> = {
  owner: 'Owner',
  admin: 'Admin',
  billing: 'Billing',
  member: 'Member',
};

export const ROLE_DESCRIPTIONS: Record<OrganisationRole, string> = {
  owner: 'Everything, including transferring ownership',
  admin: 'Manages members and invitations, sees billing',
  billing: 'Sees members and the shared balance',
  member: 'Uses the shared balance through API keys',
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

export function roleLabel(role: string): string {
  return isRole(role) ? ROLE_LABELS[role] : role;
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
