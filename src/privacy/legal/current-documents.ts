import { randomUUID } from 'node:crypto';
import { and, desc, eq, getTableColumns, inArray, lte } from 'drizzle-orm';
import { legalAcceptances, legalDocuments } from '../../db/schema/index.js';
import type { DbOrTransaction } from '../../db/transaction.js';
import { MixgateError } from '../../lib/errors.js';
import type { TLegalDocumentType } from './legal-document-types.js';

export type LegalDocument = typeof legalDocuments.$inferSelect;

const NEWEST_FIRST = [desc(legalDocuments.effectiveAt), desc(legalDocuments.createdAt)] as const;

/**
 * The document of `type` in effect at `now`: the newest authoritative version whose effective date
 * has come, in the requested language when that translation exists (exact tag, then its primary
 * language: `pt-br` falls back to `pt`), otherwise in the authoritative language. A translation of
 * an older version is never served instead of the current version.
 */
export async function getCurrentDocument(
  db: DbOrTransaction,
  type: TLegalDocumentType,
  language: string | undefined,
  now: Date,
): Promise<LegalDocument | undefined> {
  const [authoritative] = await db
    .select()
    .from(legalDocuments)
    .where(
      and(
        eq(legalDocuments.type, type),
        eq(legalDocuments.authoritative, true),
        lte(legalDocuments.effectiveAt, now),
      ),
    )
    .orderBy(...NEWEST_FIRST)
    .limit(1);
  if (!authoritative || language === undefined) return authoritative;
  const translation = await findLanguageVersion(db, type, authoritative.version, language, now);
  return translation ?? authoritative;
}

/**
 * One version of a document, current, past or announced: announced versions can be read before
 * they take effect. Same language preference as `getCurrentDocument`.
 */
export async function getDocumentVersion(
  db: DbOrTransaction,
  type: TLegalDocumentType,
  version: string,
  language: string | undefined,
): Promise<LegalDocument | undefined> {
  const rows = await db
    .select()
    .from(legalDocuments)
    .where(and(eq(legalDocuments.type, type), eq(legalDocuments.version, version)));
  return pickLanguage(rows, language) ?? rows.find((row) => row.authoritative) ?? rows[0];
}

export interface CurrentVersion {
  id: string;
  version: string;
}

/**
 * The authoritative terms and privacy policy a new user accepts at sign-up. Without them nobody
 * can sign up, so their absence is an outage, not a missing page.
 */
export async function getCurrentVersions(
  db: DbOrTransaction,
  now: Date,
): Promise<{ terms: CurrentVersion; privacy: CurrentVersion }> {
  // One after another: a transaction's queries share one connection.
  const terms = await getCurrentDocument(db, 'terms', undefined, now);
  const privacy = await getCurrentDocument(db, 'privacy', undefined, now);
  if (!terms || !privacy) {
    throw new MixgateError('unavailable', 'No terms of service or privacy policy is in effect yet');
  }
  return {
    terms: { id: terms.id, version: terms.version },
    privacy: { id: privacy.id, version: privacy.version },
  };
}

export type LegalDocumentStatus = 'upcoming' | 'current' | 'superseded';

export interface LegalDocumentVersionSummary {
  version: string;
  language: string;
  authoritative: boolean;
  title: string;
  effectiveAt: Date;
  status: LegalDocumentStatus;
}

/** Every version and language of a document, newest first, each marked upcoming, current or superseded. */
export async function listDocumentVersions(
  db: DbOrTransaction,
  type: TLegalDocumentType,
  now: Date,
): Promise<LegalDocumentVersionSummary[]> {
  const [rows, current] = await Promise.all([
    db
      .select()
      .from(legalDocuments)
      .where(eq(legalDocuments.type, type))
      .orderBy(
        desc(legalDocuments.effectiveAt),
        desc(legalDocuments.version),
        desc(legalDocuments.authoritative),
        legalDocuments.language,
      ),
    getCurrentDocument(db, type, undefined, now),
  ]);
  return rows.map((row) => ({
    version: row.version,
    language: row.language,
    authoritative: row.authoritative,
    title: row.title,
    effectiveAt: row.effectiveAt,
    status: row.effectiveAt > now ? 'upcoming' : row.version === current?.version ? 'current' : 'superseded',
  }));
}

export interface AcceptanceInput {
  userId: string;
  documents: readonly { id: string; type: TLegalDocumentType; version: string }[];
  ip: string | null;
  userAgent: string | null;
  at: Date;
}

// User agents are attacker-controlled; evidence needs the start of one, not megabytes.
const MAX_USER_AGENT_LENGTH = 512;

/** Evidence that a user accepted these exact document versions (GDPR Art. 7(1)); one row per document. */
export async function recordAcceptances(db: DbOrTransaction, input: AcceptanceInput): Promise<void> {
  if (input.documents.length === 0) return;
  await db.insert(legalAcceptances).values(
    input.documents.map((document) => ({
      id: randomUUID(),
      userId: input.userId,
      documentId: document.id,
      documentType: document.type,
      documentVersion: document.version,
      acceptedAt: input.at,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
    })),
  );
}

async function findLanguageVersion(
  db: DbOrTransaction,
  type: TLegalDocumentType,
  version: string,
  language: string,
  now: Date,
): Promise<LegalDocument | undefined> {
  const rows = await db
    .select()
    .from(legalDocuments)
    .where(
      and(
        eq(legalDocuments.type, type),
        eq(legalDocuments.version, version),
        lte(legalDocuments.effectiveAt, now),
      ),
    );
  return pickLanguage(rows, language);
}

/** A version's row without its body: the history is read on every page load, the bodies rarely. */
export type LegalVersionMeta = Omit<LegalDocument, 'bodyMarkdown'>;

const { bodyMarkdown: _body, ...VERSION_META_COLUMNS } = getTableColumns(legalDocuments);

/** Every authoritative version of `type`, announced ones included, newest effective date first. */
export async function listAuthoritativeVersions(
  db: DbOrTransaction,
  type: TLegalDocumentType,
): Promise<LegalVersionMeta[]> {
  return db
    .select(VERSION_META_COLUMNS)
    .from(legalDocuments)
    .where(and(eq(legalDocuments.type, type), eq(legalDocuments.authoritative, true)))
    .orderBy(...NEWEST_FIRST);
}

/**
 * The version in effect just before `document` took effect (what its changes are measured against),
 * from `versions` as `listAuthoritativeVersions` returns them; undefined for the first version.
 */
export function versionBefore<T extends Pick<LegalDocument, 'effectiveAt'>>(
  versions: readonly T[],
  document: Pick<LegalDocument, 'effectiveAt'>,
): T | undefined {
  return versions.find((version) => version.effectiveAt < document.effectiveAt);
}

export interface AcceptedVersion {
  type: string;
  version: string;
  effectiveAt: Date;
}

/** The document versions a user accepted, of the given types, newest effective date first. */
export async function listAcceptedVersions(
  db: DbOrTransaction,
  userId: string,
  types: readonly TLegalDocumentType[],
): Promise<AcceptedVersion[]> {
  return db
    .select({
      type: legalAcceptances.documentType,
      version: legalAcceptances.documentVersion,
      effectiveAt: legalDocuments.effectiveAt,
    })
    .from(legalAcceptances)
    .innerJoin(legalDocuments, eq(legalDocuments.id, legalAcceptances.documentId))
    .where(and(eq(legalAcceptances.userId, userId), inArray(legalAcceptances.documentType, [...types])))
    .orderBy(desc(legalDocuments.effectiveAt));
}

export function pickLanguage(rows: LegalDocument[], language: string | undefined): LegalDocument | undefined {
  if (language === undefined) return undefined;
  const wanted = language.toLowerCase();
  const primary = wanted.split('-')[0];
  return (
    rows.find((row) => row.language.toLowerCase() === wanted) ??
    rows.find((row) => row.language.toLowerCase() === primary)
  );
}
