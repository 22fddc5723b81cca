/**
 * The changes to the legal documents a signed-in user should hear about, for the web app's banner:
 * a version announced and not yet in effect, or one that took effect in the last LEGAL_NOTICE_DAYS
 * and is newer than what the user accepted. Each comes with the word diff against the version the
 * user knows, so the banner can show exactly what changes.
 */
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../app-context.js';
import { users } from '../../db/schema/index.js';
import {
  type AcceptedVersion,
  getDocumentVersion,
  type LegalVersionMeta,
  listAcceptedVersions,
  listAuthoritativeVersions,
  versionBefore,
} from './current-documents.js';
import { type DiffPart, diffVersions } from './document-diff.js';
import { LEGAL_DOCUMENT_TYPES, type TLegalDocumentType } from './legal-document-types.js';
import { changesPath, documentPath } from './legal-paths.js';
import { REQUIRED_TYPES } from './pending-acceptances.js';

export interface Announcement {
  type: TLegalDocumentType;
  title: string;
  version: string;
  language: string;
  effectiveAt: string;
  material: boolean;
  changeSummary: string | null;
  status: 'upcoming' | 'in_effect';
  /** The user must accept this version (once it is in effect) to go on using the service. */
  acceptanceRequired: boolean;
  url: string;
  changesUrl: string;
  previousVersion: string | null;
  diff: DiffPart[];
}

const DAY_MS = 86_400_000;

/** At most one announcement per document type; `language` picks the translation shown. */
export async function listAnnouncements(
  ctx: AppContext,
  userId: string,
  language: string | undefined,
): Promise<Announcement[]> {
  const now = ctx.now();
  const [user] = await ctx.db
    .select({ language: users.language, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return [];
  const accepted = await listAcceptedVersions(ctx.db, userId, REQUIRED_TYPES);
  const announcements: Announcement[] = [];
  for (const type of LEGAL_DOCUMENT_TYPES) {
    const versions = await listAuthoritativeVersions(ctx.db, type);
    const change = announcedChange(ctx, type, versions, {
      accepted: accepted.filter((row) => row.type === type),
      createdAt: user.createdAt,
      now,
    });
    if (!change) continue;
    const wanted = language ?? user.language;
    const { from, to, diff } = await diffVersions(
      ctx,
      type,
      change.previous.version,
      change.version.version,
      wanted,
    );
    // The title in the reader's language even when the diff falls back to the authoritative one.
    const shown = (await getDocumentVersion(ctx.db, type, to.version, wanted)) ?? to;
    const upcoming = to.effectiveAt > now;
    announcements.push({
      type,
      title: shown.title,
      version: to.version,
      language: shown.language,
      effectiveAt: to.effectiveAt.toISOString(),
      material: to.material,
      changeSummary: to.changeSummary,
      status: upcoming ? 'upcoming' : 'in_effect',
      acceptanceRequired: to.material && isRequired(type),
      url: documentPath(type, to.version, shown.language),
      changesUrl: changesPath(type, from.version, to.version),
      previousVersion: from.version,
      diff,
    });
  }
  return announcements;
}

/**
 * The newest version of `type` and the version to compare it with (the newest one the user
 * accepted, else the one in effect before it), or nothing when there is nothing to announce.
 */
function announcedChange(
  ctx: AppContext,
  type: TLegalDocumentType,
  versions: readonly LegalVersionMeta[],
  user: { accepted: readonly AcceptedVersion[]; createdAt: Date; now: Date },
): { version: LegalVersionMeta; previous: LegalVersionMeta } | undefined {
  const newest = versions[0];
  const before = newest && versionBefore(versions, newest);
  // The first version of a document changes nothing anybody agreed to.
  if (!newest || !before) return undefined;
  const newestAccepted = user.accepted[0];
  if (newestAccepted && newestAccepted.effectiveAt >= newest.effectiveAt) return undefined;
  if (newest.effectiveAt <= user.now) {
    const noticeEnded = newest.effectiveAt.getTime() + ctx.config.LEGAL_NOTICE_DAYS * DAY_MS;
    if (noticeEnded < user.now.getTime()) return undefined;
    // Someone who joined under this version (of a document nobody is asked to accept) knows it.
    if (!isRequired(type) && user.createdAt >= newest.effectiveAt) return undefined;
  }
  const acceptedDocument = versions.find((version) => version.version === newestAccepted?.version);
  return { version: newest, previous: acceptedDocument ?? before };
}

function isRequired(type: TLegalDocumentType): boolean {
  return (REQUIRED_TYPES as readonly string[]).includes(type);
}
