import { and, eq, ne, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { ownAccountEvent, recordSecurityEvent } from '../audit/record-security-event.js';
import { users } from '../db/schema/index.js';
import { violatedConstraint } from '../db/violated-constraint.js';
import { MixgateError } from '../lib/errors.js';
import type { UserRow } from './authenticate.js';
import type { RequestMeta } from './request-meta.js';

export interface ProfileChanges {
  username?: string;
  /** null (or an empty string, after trimming) clears it. */
  displayName?: string | null;
}

const USERNAME_TAKEN = 'That username is taken';

/**
 * Changes the username and display name. A username is unique regardless of case (the index is on
 * lower(username)), but its owner may change its case. Only what differs is written and logged.
 */
export async function updateProfile(
  ctx: AppContext,
  userId: string,
  changes: ProfileChanges,
  meta: RequestMeta,
): Promise<UserRow> {
  const now = ctx.now();
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new MixgateError('unauthenticated', 'Sign in first');

  const update: Partial<Pick<UserRow, 'username' | 'displayName'>> = {};
  if (changes.username !== undefined && changes.username !== user.username) {
    update.username = changes.username;
  }
  if (changes.displayName !== undefined) {
    const displayName = changes.displayName || null;
    if (displayName !== user.displayName) update.displayName = displayName;
  }
  const fields = Object.keys(update);
  if (fields.length === 0) return user;

  if (update.username !== undefined) {
    const [owner] = await ctx.db
      .select({ id: users.id })
      .from(users)
      .where(and(sql`lower(${users.username}) = lower(${update.username})`, ne(users.id, userId)))
      .limit(1);
    if (owner) throw new MixgateError('conflict', USERNAME_TAKEN, 409, { field: 'username' });
  }

  try {
    return await ctx.db.transaction(async (tx) => {
      const [updated] = await tx
        .update(users)
        .set({ ...update, updatedAt: now })
        .where(eq(users.id, userId))
        .returning();
      // Which fields changed, not their values: the log is append-only, so it holds no names.
      await recordSecurityEvent(tx, ownAccountEvent('profile_updated', userId, meta, now, { fields }));
      return updated!;
    });
  } catch (error) {
    // Another account took the username between the check and the update: the index decides.
    if (violatedConstraint(error) === 'users_username_key') {
      throw new MixgateError('conflict', USERNAME_TAKEN, 409, { field: 'username' });
    }
    throw error;
  }
}
