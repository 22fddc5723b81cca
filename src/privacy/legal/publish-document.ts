/**
 * Publishing a new version of a legal document from the operator console. A new authoritative
 * version is announced at least LEGAL_NOTICE_DAYS ahead (every user is mailed, the web app shows a
 * banner with the diff), so nobody is bound by terms they had no chance to read or refuse; only the
 * first version of a document may take effect at once. A translation follows its version's dates.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../../app-context.js';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import { legalDocuments } from '../../db/schema/index.js';
import type { DbTransaction } from '../../db/transaction.js';
import { MixgateError } from '../../lib/errors.js';
import type { LegalDocument } from './current-documents.js';
import { ZLanguageTag, ZLegalDocumentType } from './legal-document-types.js';
import { LegalTemplateError, renderTemplate } from './render-template.js';

export const ZPublishLegalDocument = z.strictObject({
  type: ZLegalDocumentType,
  version: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[0-9A-Za-z._-]+$/, 'may contain only letters, digits, dots, hyphens and underscores'),
  language: ZLanguageTag,
  authoritative: z.boolean().default(true).describe('False for a translation of an existing version'),
  title: z.string().trim().min(1).max(200),
  bodyMarkdown: z.string().min(1).max(200_000).describe('Markdown with {{placeholders}}'),
  effectiveAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Default: now + LEGAL_NOTICE_DAYS; a translation takes its version’s'),
  material: z.boolean().optional().describe('Required for an authoritative version'),
  changeSummary: z.string().trim().min(1).max(2000).optional(),
});
export type TPublishLegalDocument = z.infer<typeof ZPublishLegalDocument>;

const DAY_MS = 86_400_000;
// Seeds the hash of the document type, so this lock differs from the other advisory locks (database.ts).
const PUBLISH_LOCK_SEED = 7_325_011_015;

export interface PublishResult {
  document: LegalDocument;
  /** An authoritative version replacing an earlier one: every user is to be mailed. */
  noticeRequired: boolean;
}

export async function publishLegalDocument(
  ctx: AppContext,
  input: TPublishLegalDocument,
  actor: { id: string; meta: { ip: string | null; userAgent: string | null } },
): Promise<PublishResult> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    // Publishers of one type take turns: the checks against the newest version must still hold at insert.
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(hashtextextended(${input.type}, ${PUBLISH_LOCK_SEED}))`,
    );
    const sameVersion = await tx
      .select()
      .from(legalDocuments)
      .where(and(eq(legalDocuments.type, input.type), eq(legalDocuments.version, input.version)));
    if (sameVersion.some((row) => row.language === input.language)) {
      throw new MixgateError(
        'conflict',
        `Version ${input.version} of the ${input.type} document already exists in ${input.language}`,
      );
    }
    const authoritativeOfVersion = sameVersion.find((row) => row.authoritative);
    const terms = input.authoritative
      ? await authoritativeTerms(tx, ctx, input, authoritativeOfVersion, now)
      : translationTerms(input, authoritativeOfVersion);
    try {
      renderTemplate(
        input.bodyMarkdown,
        ctx.config,
        { effectiveAt: terms.effectiveAt, language: input.language },
        ctx.gateway.deployments,
      );
    } catch (error) {
      if (error instanceof LegalTemplateError) throw new MixgateError('invalid_request', error.message, 422);
      throw error;
    }
    const [document] = await tx
      .insert(legalDocuments)
      .values({
        id: randomUUID(),
        type: input.type,
        version: input.version,
        language: input.language,
        authoritative: input.authoritative,
        title: input.title,
        bodyMarkdown: input.bodyMarkdown,
        effectiveAt: terms.effectiveAt,
        material: terms.material,
        changeSummary: terms.changeSummary,
        publishedBy: actor.id,
        createdAt: now,
      })
      .returning();
    await recordSecurityEvent(tx, {
      type: 'legal_document_published',
      actorId: actor.id,
      ip: actor.meta.ip,
      userAgent: actor.meta.userAgent,
      occurredAt: now,
      details: {
        documentType: input.type,
        version: input.version,
        language: input.language,
        authoritative: input.authoritative,
        material: terms.material,
        effectiveAt: terms.effectiveAt.toISOString(),
      },
    });
    return { document: document!, noticeRequired: terms.noticeRequired };
  });
}

interface VersionTerms {
  effectiveAt: Date;
  material: boolean;
  changeSummary: string | null;
  noticeRequired: boolean;
}

async function authoritativeTerms(
  tx: DbTransaction,
  ctx: AppContext,
  input: TPublishLegalDocument,
  existingAuthoritative: LegalDocument | undefined,
  now: Date,
): Promise<VersionTerms> {
  if (existingAuthoritative) {
    throw new MixgateError(
      'conflict',
      `Version ${input.version} of the ${input.type} document already exists in ${existingAuthoritative.language}: publish a translation (authoritative: false)`,
    );
  }
  if (input.material === undefined) {
    throw new MixgateError(
      'invalid_request',
      'State whether the change is material (material: true or false)',
    );
  }
  const earliest = new Date(now.getTime() + ctx.config.LEGAL_NOTICE_DAYS * DAY_MS);
  const effectiveAt = input.effectiveAt ? new Date(input.effectiveAt) : earliest;
  const [newest] = await tx
    .select({ version: legalDocuments.version, effectiveAt: legalDocuments.effectiveAt })
    .from(legalDocuments)
    .where(and(eq(legalDocuments.type, input.type), eq(legalDocuments.authoritative, true)))
    .orderBy(desc(legalDocuments.effectiveAt))
    .limit(1);
  // The first version of a document replaces nothing anybody agreed to: it may take effect at once.
  if (!newest) {
    return {
      effectiveAt,
      material: input.material,
      changeSummary: input.changeSummary ?? null,
      noticeRequired: false,
    };
  }
  if (input.changeSummary === undefined) {
    throw new MixgateError(
      'invalid_request',
      'Summarise the changes for the notice to users (changeSummary)',
    );
  }
  if (effectiveAt < earliest) {
    throw new MixgateError(
      'invalid_request',
      `A new version needs ${ctx.config.LEGAL_NOTICE_DAYS} days of notice: the earliest effective date is ${earliest.toISOString()}`,
      422,
      { earliestEffectiveAt: earliest.toISOString() },
    );
  }
  if (effectiveAt <= newest.effectiveAt) {
    throw new MixgateError(
      'invalid_request',
      `The new version must take effect after version ${newest.version} (${newest.effectiveAt.toISOString()})`,
      422,
      { after: newest.effectiveAt.toISOString() },
    );
  }
  return { effectiveAt, material: input.material, changeSummary: input.changeSummary, noticeRequired: true };
}

function translationTerms(
  input: TPublishLegalDocument,
  authoritative: LegalDocument | undefined,
): VersionTerms {
  if (!authoritative) {
    throw new MixgateError(
      'not_found',
      `No authoritative version ${input.version} of the ${input.type} document to translate`,
    );
  }
  if (input.effectiveAt !== undefined || input.material !== undefined || input.changeSummary !== undefined) {
    throw new MixgateError(
      'invalid_request',
      `A translation takes effectiveAt, material and changeSummary from version ${input.version}: leave them out`,
    );
  }
  return {
    effectiveAt: authoritative.effectiveAt,
    material: authoritative.material,
    changeSummary: authoritative.changeSummary,
    noticeRequired: false,
  };
}
