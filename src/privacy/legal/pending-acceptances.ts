/**
 * What a signed-in user has not yet agreed to: the terms of service and privacy policy in effect
 * (a user created by the operator from the command line accepted nothing; a new version with a
 * material change may have taken effect since sign-up) and, for an account made without it, the
 * 18+ attestation. The web app asks for these before anything else.
 */
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../app-context.js';
import { users } from '../../db/schema/index.js';
import type { DbOrTransaction } from '../../db/transaction.js';
import { MixgateError } from '../../lib/errors.js';
import {
  type AcceptedVersion,
  type LegalVersionMeta,
  listAcceptedVersions,
  listAuthoritativeVersions,
  recordAcceptances,
} from './current-documents.js';
import { SIGN_UP_TYPES, type TSignUpDocumentType } from './legal-document-types.js';

/** The documents every user accepts (at sign-up, and again after a material change). */
export const REQUIRED_TYPES = SIGN_UP_TYPES;
type RequiredType = TSignUpDocumentType;

export interface PendingDocument {
  id: string;
  type: RequiredType;
  version: string;
  /** Asked again because of a material change (false for a first acceptance of a non-material version). */
  material: boolean;
  /** The newest version the user accepted before; null when they accepted none. */
  previousVersion: string | null;
}

export interface PendingAcceptances {
  documents: PendingDocument[];
  ageConfirmationRequired: boolean;
}

export async function pendingAcceptances(
  db: DbOrTransaction,
  userId: string,
  now: Date,
): Promise<PendingAcceptances> {
  // One after another: inside acceptPending's transaction these share one connection.
  const accepted = await listAcceptedVersions(db, userId, REQUIRED_TYPES);
  const documents: PendingDocument[] = [];
  for (const type of REQUIRED_TYPES) {
    const versions = await listAuthoritativeVersions(db, type);
    const pending = pendingDocument(
      type,
      versions.filter((version) => version.effectiveAt <= now),
      accepted.filter((row) => row.type === type),
    );
    if (pending) documents.push(pending);
  }
  const [user] = await db
    .select({ ageConfirmed: users.ageConfirmed })
    .from(users)
    .where(eq(users.id, userId));
  return { documents, ageConfirmationRequired: user?.ageConfirmed !== true };
}

/**
 * Pending: the version in effect, when the user accepted no version of the type, or when a MATERIAL
 * version took effect after every version they accepted. A non-material change never asks again:
 * the user accepted the terms it changes in no way that matters (BT Updates).
 */
function pendingDocument(
  type: RequiredType,
  inEffect: readonly LegalVersionMeta[],
  accepted: readonly AcceptedVersion[],
): PendingDocument | undefined {
  const current = inEffect[0];
  // Without them nobody can sign up either, so their absence is an outage, not a missing page.
  if (!current) throw new MixgateError('unavailable', `No ${type} document is in effect yet`);
  const newestAccepted = accepted[0];
  const pending = { id: current.id, type, version: current.version };
  if (!newestAccepted) return { ...pending, material: current.material, previousVersion: null };
  const newestMaterial = inEffect.find((version) => version.material);
  if (!newestMaterial || newestMaterial.effectiveAt <= newestAccepted.effectiveAt) return undefined;
  return { ...pending, material: true, previousVersion: newestAccepted.version };
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
