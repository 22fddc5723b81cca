import type { FastifyRequest } from 'fastify';
import { requireSession, sessionOf } from '../accounts/authenticate.js';
import type { AppContext } from '../app-context.js';
import { MixgateError } from '../lib/errors.js';
import { hasPermission, type StaffPermission } from './staff-roles.js';

/**
 * preHandler for console routes: a signed-in session (with CSRF on writes) whose user's staff role
 * grants `permission`. The role is read with the session on every request, so a change bites at once.
 */
export function requireStaff(ctx: AppContext, permission: StaffPermission) {
  const session = requireSession(ctx);
  return async (request: FastifyRequest): Promise<void> => {
    await session(request);
    if (!hasPermission(sessionOf(request).user.staffRole, permission)) {
      throw new MixgateError('forbidden', 'Your staff role does not allow this');
    }
  };
}
