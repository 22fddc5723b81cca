import { readFile } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.js';
import { loadConfig } from '../../config.js';
import { legalDocuments } from '../../db/schema/index.js';
import { getCurrentVersions } from './current-documents.js';
import { LEGAL_DOCUMENT_TYPE_INFO, LEGAL_DOCUMENT_TYPES, SIGN_UP_TYPES } from './legal-document-types.js';
import { renderTemplate } from './render-template.js';
import { SEED_DOCUMENTS, seedLegalDocuments } from './seed-legal-documents.js';

const database = await createTestDatabase();
const config = loadConfig({ OPERATOR_NAME: 'Acme Test Ltd' });

describe('seedLegalDocuments', () => {
  it('leaves one row per document when run at every start', async () => {
    const firstStart = new Date('2026-01-01T00:00:00Z');
    await seedLegalDocuments(database.db, config, firstStart);
    await seedLegalDocuments(database.db, config, new Date('2026-02-01T00:00:00Z'));

    const rows = await database.db.select().from(legalDocuments);
    expect(rows.map((row) => [row.type, row.version, row.language, row.authoritative]).sort()).toEqual([
      ['acceptable-use', '1.0', 'en', true],
      ['ai-disclaimer', '1.0', 'en', true],
      ['dpa', '1.0', 'en', true],
      ['privacy', '1.0', 'en', true],
      ['public-offer', '1.0', 'en', true],
      ['refund-policy', '1.0', 'en', true],
      ['terms', '1.0', 'en', true],
    ]);
    // The second start did not move the effective date of what users already accepted.
    expect(rows.every((row) => row.effectiveAt.getTime() === firstStart.getTime())).toBe(true);
  });

  it('stores the template, so operator details are filled in when served', async () => {
    const [terms] = await database.db.select().from(legalDocuments).where(eq(legalDocuments.type, 'terms'));
    expect(terms!.bodyMarkdown).toContain('{{operator_name}}');
    expect(terms!.bodyMarkdown).not.toContain('Acme Test Ltd');
  });

  it('makes the seeded versions the ones a new user accepts', async () => {
    const current = await getCurrentVersions(database.db, new Date('2026-03-01T00:00:00Z'));
    expect(current.terms.version).toBe('1.0');
    expect(current.privacy.version).toBe('1.0');
  });

  it('still asks a new user to accept only the terms and the privacy policy', async () => {
    const current = await getCurrentVersions(database.db, new Date('2026-03-01T00:00:00Z'));
    expect(Object.keys(current).sort()).toEqual([...SIGN_UP_TYPES].sort());
  });
});

describe('the bundled documents', () => {
  const effectiveAt = new Date('2026-01-01T00:00:00Z');
  const read = (file: string) => readFile(new URL(`./documents/${file}`, import.meta.url), 'utf8');

  it('bundle one first version of every document type', () => {
    expect(SEED_DOCUMENTS.map((seed) => seed.type).sort()).toEqual([...LEGAL_DOCUMENT_TYPES].sort());
  });

  it.each(SEED_DOCUMENTS.map((seed) => [seed.type, seed.file]))(
    '%s renders with every placeholder known and filled',
    async (_type, file) => {
      const rendered = renderTemplate(await read(file), config, { effectiveAt, language: 'en' });
      expect(rendered).not.toMatch(/\{\{|\}\}/);
      expect(rendered).toContain('Acme Test Ltd');
      expect(rendered).toContain('January 1, 2026');
    },
  );

  it.each(
    SEED_DOCUMENTS.filter((seed) => !LEGAL_DOCUMENT_TYPE_INFO[seed.type].acceptedAtSignUp).map((seed) => [
      seed.type,
      seed.file,
    ]),
  )('%s says how it relates to the terms of service', async (_type, file) => {
    expect(await read(file)).toContain('{{public_url}}/legal/terms');
  });

  it.each([
    [
      'public-offer',
      [
        'Article 16(m)',
        '"withdraw from the contract"',
        '"Confirm withdrawal"',
        'within 14 days',
        '{{closed_account_grace_days}} days',
      ],
    ],
    ['refund-policy', ['"withdraw from the contract"', 'Within 14 days of your withdrawal']],
    [
      'dpa',
      [
        'Article 28(3)',
        'Article 32',
        '{{public_url}}/legal/sub-processors',
        'without undue delay',
        'AES-256-GCM',
      ],
    ],
    [
      'acceptable-use',
      ['child sexual abuse material', '"Report this output"', 'Article 17 of the EU Digital Services Act'],
    ],
    [
      'ai-disclaimer',
      ['Article 50', 'not professional advice', 'which model and which provider processed it'],
    ],
  ] as const)('%s contains the clauses the requirements name', async (type, clauses) => {
    const seed = SEED_DOCUMENTS.find((candidate) => candidate.type === type)!;
    const text = await read(seed.file);
    for (const clause of clauses) expect(text, clause).toContain(clause);
  });
});
