import { eq } from 'drizzle-orm';
import type { AppContext } from '../../app-context.js';
import { users } from '../../db/schema/index.js';
import { MixgateError } from '../../lib/errors.js';
import { confirmPassword } from '../confirm-password.js';
import type { RequestMeta } from '../request-meta.js';

/** Who closes or reopens: the holder themself (no reason) or a staff member (with the statement of reasons). */
export interface TerminationActor {
  id: string;
  /** The operator's statement of reasons (DSA Art. 17); null when the holder or owner closes. */
  reason: string | null;
  meta: RequestMeta;
}

/** Closing needs the account password re-entered (confirm-password.ts). */
export async function requireOwnPassword(ctx: AppContext, userId: string, password: string): Promise<void> {
  const [user] = await ctx.db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  await confirmPassword(user?.passwordHash, password);
}

/** The operator terminates customers' accounts, never its own staff's (an admin changes their role first). */
export function refuseStaffTarget(target: { id: string; staffRole: string | null }, staffId: string): void {
  if (target.id === staffId) throw new MixgateError('forbidden', 'You cannot terminate your own account');
  if (target.staffRole !== null) {
    throw new MixgateError('forbidden', 'A staff account cannot be terminated; remove its staff role first');
  }
}
