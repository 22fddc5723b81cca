import { describe, expect, it } from 'vitest';
import { can, canManageRole, ORGANISATION_ROLES } from './organisation-roles.js';

describe('organisation roles', () => {
  it('reserves transfer and deletion to the owner', () => {
    expect(ORGANISATION_ROLES.filter((role) => can(role, 'transfer_ownership'))).toEqual(['owner']);
    expect(ORGANISATION_ROLES.filter((role) => can(role, 'delete_organisation'))).toEqual(['owner']);
  });

  it('lets every role use keys but only billing and up see members', () => {
    expect(ORGANISATION_ROLES.every((role) => can(role, 'use_keys'))).toBe(true);
    expect(ORGANISATION_ROLES.filter((role) => can(role, 'view_members'))).toEqual([
      'owner',
      'admin',
      'billing',
    ]);
  });

  it('lets nobody grant or manage the owner role, and admins only billing and member', () => {
    for (const actor of ORGANISATION_ROLES) expect(canManageRole(actor, 'owner')).toBe(false);
    expect(ORGANISATION_ROLES.filter((role) => canManageRole('owner', role))).toEqual([
      'admin',
      'billing',
      'member',
    ]);
    expect(ORGANISATION_ROLES.filter((role) => canManageRole('admin', role))).toEqual(['billing', 'member']);
    expect(ORGANISATION_ROLES.filter((role) => canManageRole('billing', role))).toEqual([]);
    expect(ORGANISATION_ROLES.filter((role) => canManageRole('member', role))).toEqual([]);
  });

  it('gives a role it does not know no permissions', () => {
    expect(can('superuser', 'use_keys')).toBe(false);
    expect(canManageRole('superuser', 'member')).toBe(false);
  });
});
