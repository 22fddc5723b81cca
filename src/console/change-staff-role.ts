import { asc, eq, inArray } from 'drizzle-orm';
import type { RequestMeta } from '../accounts/request-meta.js';
import type { AppContext } from '../app-context.js';
import { recordSecurityEvent } from '../audit/record-security-event.js';
import { users } from '../db/schema/index.js';
import { MixgateError } from '../lib/errors.js';
import { hasPermission, type StaffRole } from './staff-roles.js';

export interface ChangeStaffRoleInput {
  targetId: string;
  actorId: string;
  role: StaffRole | null;
  reason: string;
  meta: RequestMeta;
}

export interface StaffRoleChange {
  from: string | null;
  to: StaffRole | null;
  changed: boolean;
}

/**
 * Gives, changes or removes a staff role. An admin cannot remove their own admin role, and the
 * actor's right to do this is re-checked under a row lock: two admins demoting each other at the
 * same moment would otherwise leave nobody able to manage staff.
 */
export async function changeStaffRole(
  ctx: AppContext,
  input: ChangeStaffRoleInput,
): Promise<StaffRoleChange> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    // Locked in id order so concurrent changes over the same two rows cannot deadlock.
    const rows = await tx
      .select({ id: users.id, staffRole: users.staffRole })
      .from(users)
      .where(inArray(users.id, [...new Set([input.actorId, input.targetId])]))
      .orderBy(asc(users.id))
      .for('update');
    const actor = rows.find((row) => row.id === input.actorId);
    const target = rows.find((row) => row.id === input.targetId);
    if (!hasPermission(actor?.staffRole, 'staff.manage')) {
      throw new MixgateError('forbidden', 'Your staff role does not allow this');
    }
    if (!target) throw new MixgateError('not_found', 'No such user');
    const from = target.staffRole;
    if (input.targetId === input.actorId && from === 'admin' && input.role !== 'admin') {
      throw new MixgateError('forbidden', 'An admin cannot remove their own admin role; ask another admin');
    }
    if (from === input.role) return { from, to: input.role, changed: false };

    await tx.update(users).set({ staffRole: input.role, updatedAt: now }).where(eq(users.id, input.targetId));
    await recordSecurityEvent(tx, {
      type: 'role_changed',
      userId: input.targetId,
      actorId: input.actorId,
      ...input.meta,
      occurredAt: now,
      details: { scope: 'staff', from, to: input.role, reason: input.reason },
    });
    return { from, to: input.role, changed: true };
  });
}
