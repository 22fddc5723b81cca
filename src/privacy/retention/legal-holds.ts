import { and, desc, eq, isNull } from 'drizzle-orm';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import type { Db } from '../../db/database.js';
import { legalHolds } from '../../db/schema/index.js';
import { MixgateError } from '../../lib/errors.js';

export const LEGAL_HOLD_SCOPES = ['user', 'organisation', 'ticket'] as const;
export type LegalHoldScope = (typeof LEGAL_HOLD_SCOPES)[number];

export type LegalHold = typeof legalHolds.$inferSelect;

/** What is held right now, in the shape the retention rules and erasure filter with. */
export interface ActiveHolds {
  userIds: string[];
  organisationIds: string[];
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
  return { userIds: ids('user'), organisationIds: ids('organisation') };
}

/** True when erasure or retention must leave this user's data alone. */
export async function isUserHeld(db: Db, userId: string): Promise<boolean> {
  const holds = await activeHolds(db);
  return holds.userIds.includes(userId);
}
