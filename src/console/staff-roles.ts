/** The operator's staff roles (users.staff_role); null means an ordinary user. */
export const STAFF_ROLES = ['admin', 'support', 'billing', 'privacy'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * Least privilege: each permission names exactly the roles that need it. A new console feature adds
 * a permission here rather than checking role names in routes.
 */
export const PERMISSION_ROLES = {
  'users.read': ['admin', 'support', 'billing', 'privacy'],
  'users.suspend': ['admin', 'support'],
  'accounts.terminate': ['admin', 'support'],
  'staff.manage': ['admin'],
  'security_log.read': ['admin', 'privacy'],
  'credit.adjust': ['admin', 'billing'],
  'privacy.records.read': ['admin', 'privacy'],
  'retention.manage': ['admin', 'privacy'],
  'privacy.requests.manage': ['admin', 'privacy'],
  'legal.manage': ['admin', 'privacy'],
  'incidents.manage': ['admin', 'privacy'],
  'support.tickets': ['admin', 'support'],
} as const satisfies Record<string, readonly StaffRole[]>;

export type StaffPermission = keyof typeof PERMISSION_ROLES;

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

/** False for non-staff and for a role value the code does not know (never grants by accident). */
export function hasPermission(role: string | null | undefined, permission: StaffPermission): boolean {
  const allowed: readonly StaffRole[] = PERMISSION_ROLES[permission];
  return isStaffRole(role) && allowed.includes(role);
}

export function permissionsOf(role: string | null | undefined): StaffPermission[] {
  return (Object.keys(PERMISSION_ROLES) as StaffPermission[]).filter((permission) =>
    hasPermission(role, permission),
  );
}
