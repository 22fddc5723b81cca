import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import { legalDocuments } from '../../db/schema/index.js';
import { LEGAL_DOCUMENT_TYPE_INFO, type TLegalDocumentType } from './legal-document-types.js';
import { renderTemplate } from './render-template.js';

interface SeedDocument {
  type: TLegalDocumentType;
  version: string;
  language: string;
  authoritative: boolean;
  title: string;
  /** Under `documents/`, shipped beside this module (the build must copy `*.md` along). */
  file: string;
}

/** Version 1.0 of every document type, in English, the authoritative language. */
function firstVersion(type: TLegalDocumentType, file: string): SeedDocument {
  return {
    type,
    version: '1.0',
    language: 'en',
    authoritative: true,
    title: LEGAL_DOCUMENT_TYPE_INFO[type].title,
    file,
  };
}

export const SEED_DOCUMENTS: readonly SeedDocument[] = [
  firstVersion('terms', 'terms-of-service.en.md'),
  firstVersion('privacy', 'privacy-policy.en.md'),
  firstVersion('public-offer', 'public-offer.en.md'),
  firstVersion('refund-policy', 'refund-policy.en.md'),
  firstVersion('acceptable-use', 'acceptable-use-policy.en.md'),
  firstVersion('ai-disclaimer', 'ai-disclaimer.en.md'),
  firstVersion('dpa', 'data-processing-agreement.en.md'),
];

/**
 * Inserts the bundled documents that are not in the database yet; run at every start, so it is
 * idempotent (ON CONFLICT on type, version and language does nothing).
 *
 * The stored body is the TEMPLATE, with its `{{placeholders}}` left in: they are filled from the
 * configuration when the document is served, so correcting the operator's address or e-mail shows
 * up everywhere without publishing a new version. What a user accepted is the version; the operator
 * details are facts about the operator, not terms. A stored version is never rewritten: editing the
 * text of a published version in `documents/` has no effect, a changed text needs a new version.
 *
 * A version seeded for the first time takes effect at `now`, the instance's first start with it.
 */
export async function seedLegalDocuments(db: Db, config: Config, now: Date): Promise<void> {
  const rows = await Promise.all(
    SEED_DOCUMENTS.map(async (seed) => {
      const bodyMarkdown = await readFile(new URL(`./documents/${seed.file}`, import.meta.url), 'utf8');
      // A template with an unknown placeholder stops the start instead of failing on the first reader.
      renderTemplate(bodyMarkdown, config, { effectiveAt: now, language: seed.language });
      return {
        id: randomUUID(),
        type: seed.type,
        version: seed.version,
        language: seed.language,
        authoritative: seed.authoritative,
        title: seed.title,
        bodyMarkdown,
        effectiveAt: now,
        createdAt: now,
      };
    }),
  );
  await db
    .insert(legalDocuments)
    .values(rows)
    .onConflictDoNothing({ target: [legalDocuments.type, legalDocuments.version, legalDocuments.language] });
}
