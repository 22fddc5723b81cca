import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.js';
import { legalAcceptances, legalDocuments, users } from '../../db/schema/index.js';
import { isMixgateError } from '../../lib/errors.js';
import {
  getCurrentDocument,
  getCurrentVersions,
  getDocumentVersion,
  listDocumentVersions,
  recordAcceptances,
} from './current-documents.js';

const database = await createTestDatabase();
const { db } = database;

const JANUARY = new Date('2026-01-01T00:00:00Z');
const MARCH = new Date('2026-03-01T00:00:00Z');
const FEBRUARY = new Date('2026-02-01T00:00:00Z');

async function insertDocument(fields: {
  type: 'terms' | 'privacy';
  version: string;
  language?: string;
  authoritative?: boolean;
  effectiveAt: Date;
}) {
  const id = randomUUID();
  await db.insert(legalDocuments).values({
    id,
    type: fields.type,
    version: fields.version,
    language: fields.language ?? 'en',
    authoritative: fields.authoritative ?? true,
    title: `${fields.type} ${fields.version} ${fields.language ?? 'en'}`,
    bodyMarkdown: `Body of ${fields.type} ${fields.version}`,
    effectiveAt: fields.effectiveAt,
  });
  return id;
}

describe('current legal documents', () => {
  it('has no current versions before any document exists, which blocks sign-up', async () => {
    const failure = await getCurrentVersions(db, JANUARY).catch((error: unknown) => error);
    expect(isMixgateError(failure) && failure.code).toBe('unavailable');
  });

  it('does not make a future-dated version current until its effective date', async () => {
    const termsOne = await insertDocument({ type: 'terms', version: '1.0', effectiveAt: JANUARY });
    const termsTwo = await insertDocument({ type: 'terms', version: '2.0', effectiveAt: MARCH });
    const privacyOne = await insertDocument({ type: 'privacy', version: '1.0', effectiveAt: JANUARY });

    expect((await getCurrentDocument(db, 'terms', undefined, FEBRUARY))?.version).toBe('1.0');
    expect(await getCurrentVersions(db, new Date(MARCH.getTime() - 1))).toEqual({
      terms: { id: termsOne, version: '1.0' },
      privacy: { id: privacyOne, version: '1.0' },
    });
    expect(await getCurrentVersions(db, MARCH)).toEqual({
      terms: { id: termsTwo, version: '2.0' },
      privacy: { id: privacyOne, version: '1.0' },
    });
  });

  it('has nothing in effect before the first effective date', async () => {
    expect(
      await getCurrentDocument(db, 'terms', undefined, new Date('2025-12-31T23:59:59Z')),
    ).toBeUndefined();
  });

  it('serves the requested language of the current version, else the authoritative one', async () => {
    await insertDocument({
      type: 'privacy',
      version: '1.0',
      language: 'de',
      authoritative: false,
      effectiveAt: JANUARY,
    });
    await insertDocument({
      type: 'terms',
      version: '1.0',
      language: 'de',
      authoritative: false,
      effectiveAt: JANUARY,
    });

    expect((await getCurrentDocument(db, 'privacy', 'de', FEBRUARY))?.language).toBe('de');
    expect((await getCurrentDocument(db, 'privacy', 'de-at', FEBRUARY))?.language).toBe('de');
    expect((await getCurrentDocument(db, 'privacy', 'fr', FEBRUARY))?.language).toBe('en');
    // Version 2.0 has no German translation: the current English text wins over the old German one.
    const terms = await getCurrentDocument(db, 'terms', 'de', MARCH);
    expect([terms?.version, terms?.language]).toEqual(['2.0', 'en']);
  });

  it('reads any version by number, including one not yet in effect', async () => {
    expect((await getDocumentVersion(db, 'terms', '2.0', undefined))?.version).toBe('2.0');
    expect((await getDocumentVersion(db, 'terms', '1.0', 'de'))?.language).toBe('de');
    expect(await getDocumentVersion(db, 'terms', '9.9', undefined)).toBeUndefined();
  });

  it('lists every version newest first, authoritative language first, with its status', async () => {
    const versions = await listDocumentVersions(db, 'terms', FEBRUARY);
    expect(versions.map((entry) => [entry.version, entry.language, entry.status])).toEqual([
      ['2.0', 'en', 'upcoming'],
      ['1.0', 'en', 'current'],
      ['1.0', 'de', 'current'],
    ]);
    const later = await listDocumentVersions(db, 'terms', MARCH);
    expect(later.map((entry) => entry.status)).toEqual(['current', 'superseded', 'superseded']);
  });

  it('records which exact versions a user accepted, with IP and user agent', async () => {
    const userId = randomUUID();
    await db.insert(users).values({
      id: userId,
      email: 'reader@example.com',
      username: 'reader',
      passwordHash: 'not-a-real-hash',
      ageConfirmed: true,
      ageConfirmedAt: MARCH,
    });
    const current = await getCurrentVersions(db, MARCH);
    await db.transaction(async (tx) => {
      await recordAcceptances(tx, {
        userId,
        documents: [
          { id: current.terms.id, type: 'terms', version: current.terms.version },
          { id: current.privacy.id, type: 'privacy', version: current.privacy.version },
        ],
        ip: '203.0.113.7',
        userAgent: `Browser/1.0 ${'x'.repeat(2000)}`,
        at: MARCH,
      });
    });

    const rows = await db
      .select()
      .from(legalAcceptances)
      .where(eq(legalAcceptances.userId, userId))
      .orderBy(legalAcceptances.documentType);
    expect(rows.map((row) => [row.documentType, row.documentVersion, row.documentId, row.ip])).toEqual([
      ['privacy', '1.0', current.privacy.id, '203.0.113.7'],
      ['terms', '2.0', current.terms.id, '203.0.113.7'],
    ]);
    expect(rows[0]!.acceptedAt.getTime()).toBe(MARCH.getTime());
    expect(rows[0]!.userAgent).toHaveLength(512);
  });
});
