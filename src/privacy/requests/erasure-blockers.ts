import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { isUserHeld } from '../retention/legal-holds.js';

export interface ErasureBlocker {
  code: 'legal_hold' | 'organisation_owner';
  message: string;
}

/**
 * Why the person's data cannot be erased now, or null. Checked when the request is made and again
 * right before the erasure runs (a hold may be placed in between): an erasure is never executed
 * while one of these holds.
 * - A legal hold (Art. 17(3)(e): the data is needed for legal claims).
 * - An organisation they own that has other members: deleting its owner would leave the members
 *   without one, and its balance and records without anyone who may act for it. Ownership is
 *   transferred first (the organisation's settings), then the erasure is asked for again.
 */
export async function erasureBlocker(db: Db, userId: string): Promise<ErasureBlocker | null> {
  if (await isUserHeld(db, userId)) {
    return {
      code: 'legal_hold',
      message:
        'Your data is under a legal hold (it is needed to establish, exercise or defend legal claims, Art. 17(3)(e) GDPR), so it cannot be erased now. We will tell you when the hold ends.',
    };
  }
  return ownedOrganisationBlocker(db, userId, 'ask for the erasure again');
}

/**
 * The organisation rule alone: closing an account (src/accounts/termination/) is refused for the
 * same reason, while a legal hold only delays the deletion that follows a closure.
 */
export async function ownedOrganisationBlocker(
  db: Db,
  userId: string,
  thenWhat: string,
): Promise<ErasureBlocker | null> {
  const owned = await db.execute<{ name: string }>(sql`
    SELECT o.name FROM organisation_members m
      JOIN organisations o ON o.id = m.organisation_id
     WHERE m.user_id = ${userId} AND m.role = 'owner'
       AND EXISTS (SELECT 1 FROM organisation_members other
                    WHERE other.organisation_id = m.organisation_id AND other.user_id <> ${userId})
     ORDER BY o.name`);
  if (owned.rows.length > 0) {
    const names = owned.rows.map((row) => `"${row.name}"`).join(', ');
    return {
      code: 'organisation_owner',
      message: `You own ${owned.rows.length === 1 ? 'the organisation' : 'the organisations'} ${names}, which other members still use. Transfer the ownership to one of them first, then ${thenWhat}.`,
    };
  }
  return null;
}
