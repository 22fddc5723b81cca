/**
 * What a signed-in user has not yet agreed to: the terms of service and privacy policy in effect
 * (a user created by the operator from the command line accepted nothing; a new version may have
 * taken effect since sign-up) and, for an account made without it, the 18+ attestation. The web
 * app asks for these before anything else.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../app-context.js';
import { legalAcceptances, users } from '../../db/schema/index.js';
import type { DbOrTransaction } from '../../db/transaction.js';
import { MixgateError } from '../../lib/errors.js';
import { getCurrentVersions, recordAcceptances } from './current-documents.js';

const REQUIRED = ['terms', 'privacy'] as const;
type RequiredType = (typeof REQUIRED)[number];

export interface PendingAcceptances {
  documents: Array<{ id: string; type: RequiredType; version: string }>;
  ageConfirmationRequired: boolean;
}

export async function pendingAcceptances(
  db: DbOrTransaction,
  userId: string,
  now: Date,
): Promise<PendingAcceptances> {
  // One after another: inside acceptPending's transaction these share one connection.
  const current = await getCurrentVersions(db, now);
  const accepted = await db
    .select({ documentId: legalAcceptances.documentId })
    .from(legalAcceptances)
    .where(and(eq(legalAcceptances.userId, userId), inArray(legalAcceptances.documentType, [...REQUIRED])));
  const [user] = await db
    .select({ ageConfirmed: users.ageConfirmed })
    .from(users)
    .where(eq(users.id, userId));
  const acceptedIds = new Set(accepted.map((row) => row.documentId));
  return {
    documents: REQUIRED.filter((type) => !acceptedIds.has(current[type].id)).map((type) => ({
      id: current[type].id,
      type,
      version: current[type].version,
    })),
    ageConfirmationRequired: user?.ageConfirmed !== true,
  };
}

export interface AcceptanceAnswer {
  /** The versions the user read and accepts, by document type. */
  accepted: Partial<Record<RequiredType, string>>;
  ageConfirmed?: boolean;
}

/**
 * Records the user's acceptance of every pending document, in one transaction. Refuses (409) when
 * an accepted version is no longer the one in effect, and (400) when something pending is left out.
 */
export async function acceptPending(
  ctx: AppContext,
  userId: string,
  answer: AcceptanceAnswer,
  meta: { ip: string | null; userAgent: string | null },
): Promise<void> {
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    const pending = await pendingAcceptances(tx, userId, now);
    for (const document of pending.documents) {
      const version = answer.accepted[document.type];
      if (version === undefined) {
        throw new MixgateError(
          'invalid_request',
          `Accept the ${document.type} (version ${document.version})`,
        );
      }
      if (version !== document.version) {
        throw new MixgateError(
          'conflict',
          `The ${document.type} changed: read and accept version ${document.version}`,
          409,
          {
            document: document.type,
            currentVersion: document.version,
          },
        );
      }
    }
    if (pending.ageConfirmationRequired) {
      if (answer.ageConfirmed !== true) {
        throw new MixgateError('invalid_request', 'You must confirm that you are 18 or older');
      }
      await tx
        .update(users)
        .set({ ageConfirmed: true, ageConfirmedAt: now, updatedAt: now })
        .where(eq(users.id, userId));
    }
    await recordAcceptances(tx, {
      userId,
      documents: pending.documents,
      ip: meta.ip,
      userAgent: meta.userAgent,
      at: now,
    });
  });
}
