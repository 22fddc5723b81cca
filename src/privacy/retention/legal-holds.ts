import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import type { Db } from '../../db/database.js';
import { legalHolds, supportTickets } from '../../db/schema/index.js';
import { MixgateError } from '../../lib/errors.js';

export const LEGAL_HOLD_SCOPES = ['user', 'organisation', 'ticket'] as const;
export type LegalHoldScope = (typeof LEGAL_HOLD_SCOPES)[number];

export type LegalHold = typeof legalHolds.$inferSelect;

/** What is held right now, in the shape the retention rules and erasure filter with. */
export interface ActiveHolds {
  userIds: string[];
  organisationIds: string[];
  /** Support tickets held on their own (optional: a rule that has no tickets ignores it). */
  ticketIds?: string[];
}

export async function placeLegalHold(
  db: Db,
  input: { scope: LegalHoldScope; subjectId: string; reason: string; ownerId: string; now: Date },
): Promise<LegalHold> {
  return db.transaction(async (tx) => {
    const [hold] = await tx
      .insert(legalHolds)
      .values({
        scope: input.scope,
        subjectId: input.subjectId,
        reason: input.reason,
        ownerId: input.ownerId,
        createdAt: input.now,
      })
      .returning();
    await recordSecurityEvent(tx, {
      type: 'legal_hold_placed',
      actorId: input.ownerId,
      userId: input.scope === 'user' ? input.subjectId : null,
      details: { holdId: hold!.id, scope: input.scope, subjectId: input.subjectId },
      occurredAt: input.now,
    });
    return hold!;
  });
}

export async function releaseLegalHold(
  db: Db,
  input: { id: string; actorId: string; now: Date },
): Promise<LegalHold> {
  return db.transaction(async (tx) => {
    const [hold] = await tx
      .update(legalHolds)
      .set({ releasedAt: input.now, releasedBy: input.actorId })
      .where(and(eq(legalHolds.id, input.id), isNull(legalHolds.releasedAt)))
      .returning();
    if (!hold) throw new MixgateError('not_found', 'No active legal hold with this id');
    await recordSecurityEvent(tx, {
      type: 'legal_hold_released',
      actorId: input.actorId,
      userId: hold.scope === 'user' ? hold.subjectId : null,
      details: { holdId: hold.id, scope: hold.scope, subjectId: hold.subjectId },
      occurredAt: input.now,
    });
    return hold;
  });
}

export async function listLegalHolds(db: Db, options: { active: boolean }): Promise<LegalHold[]> {
  return db
    .select()
    .from(legalHolds)
    .where(options.active ? isNull(legalHolds.releasedAt) : undefined)
    .orderBy(desc(legalHolds.createdAt))
    .limit(500);
}

export async function activeHolds(db: Db): Promise<ActiveHolds> {
  const rows = await db
    .select({ scope: legalHolds.scope, subjectId: legalHolds.subjectId })
    .from(legalHolds)
    .where(isNull(legalHolds.releasedAt));
  const ids = (scope: LegalHoldScope) => [
    ...new Set(rows.filter((row) => row.scope === scope).map((row) => row.subjectId)),
  ];
  return { userIds: ids('user'), organisationIds: ids('organisation'), ticketIds: ids('ticket') };
}

/**
 * True when erasure or retention must leave this user's data alone: a hold on them, or on one of
 * their support tickets (sealed with their data key, which an erasure would destroy).
 */
export async function isUserHeld(db: Db, userId: string): Promise<boolean> {
  const holds = await activeHolds(db);
  if (holds.userIds.includes(userId)) return true;
  if (!holds.ticketIds?.length) return false;
  // A hold's subject is free text: compared as text, a subject that is no uuid simply matches nothing.
  const held = await db
    .select({ id: supportTickets.id })
    .from(supportTickets)
    .where(and(eq(supportTickets.userId, userId), inArray(sql`${supportTickets.id}::text`, holds.ticketIds)))
    .limit(1);
  return held.length > 0;
}
