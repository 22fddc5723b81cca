import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.js';
import { loadConfig } from '../../config.js';
import { legalDocuments } from '../../db/schema/index.js';
import { getCurrentVersions } from './current-documents.js';
import { seedLegalDocuments } from './seed-legal-documents.js';

const database = await createTestDatabase();
const config = loadConfig({ OPERATOR_NAME: 'Acme Test Ltd' });

describe('seedLegalDocuments', () => {
  it('leaves one row per document when run at every start', async () => {
    const firstStart = new Date('2026-01-01T00:00:00Z');
    await seedLegalDocuments(database.db, config, firstStart);
    await seedLegalDocuments(database.db, config, new Date('2026-02-01T00:00:00Z'));

    const rows = await database.db.select().from(legalDocuments).orderBy(legalDocuments.type);
    expect(rows.map((row) => [row.type, row.version, row.language, row.authoritative])).toEqual([
      ['privacy', '1.0', 'en', true],
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
});
