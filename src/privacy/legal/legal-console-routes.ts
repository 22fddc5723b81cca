/**
 * The operator console's legal documents: every version of every type, and publishing a new
 * version or translation (admin and privacy staff). Publishing a version that replaces another
 * queues the notice mail to every user at once.
 */
import { desc, eq } from 'drizzle-orm';
import { sessionOf } from '../../accounts/authenticate.js';
import { requestMeta } from '../../accounts/request-meta.js';
import type { App, AppContext } from '../../app-context.js';
import { requireStaff } from '../../console/require-staff.js';
import { legalDocuments } from '../../db/schema/index.js';
import { legalNoticeMail } from '../../jobs/definitions/legal-notice-mail.js';
import type { LegalDocument, LegalDocumentStatus } from './current-documents.js';
import { publishLegalDocument, ZPublishLegalDocument } from './publish-document.js';

export function registerLegalConsoleRoutes(app: App, ctx: AppContext): void {
  const tags = ['console', 'legal'];
  const staff = { preHandler: requireStaff(ctx, 'legal.manage') };

  app.get('/api/console/legal-documents', { ...staff, schema: { tags } }, async () => ({
    documents: await listVersionSummaries(ctx),
  }));

  app.post(
    '/api/console/legal-documents',
    { ...staff, schema: { tags, body: ZPublishLegalDocument } },
    async (request, reply) => {
      const { document, noticeRequired } = await publishLegalDocument(ctx, request.body, {
        id: sessionOf(request).user.id,
        meta: requestMeta(request),
      });
      if (noticeRequired && ctx.jobs) {
        // Published either way: should queueing fail, the job's schedule sends the notices later.
        await ctx.jobs
          .send(legalNoticeMail.name, { documentId: document.id })
          .catch((error: Error) =>
            request.log.warn({ err: { message: error.message } }, 'legal notice job not queued'),
          );
      }
      const summaries = await listVersionSummaries(ctx, document.type);
      return reply.status(201).send({ document: summaries.find((summary) => summary.id === document.id) });
    },
  );
}

/** Every version of every type (or of `type`), newest first, each upcoming, current or superseded. */
async function listVersionSummaries(ctx: AppContext, type?: string) {
  const rows = await ctx.db
    .select()
    .from(legalDocuments)
    .where(type === undefined ? undefined : eq(legalDocuments.type, type))
    .orderBy(
      desc(legalDocuments.effectiveAt),
      desc(legalDocuments.createdAt),
      desc(legalDocuments.authoritative),
      legalDocuments.language,
    );
  const now = ctx.now();
  // Newest effective first: the first authoritative row in effect of a type is its current version.
  const current = new Map<string, string>();
  for (const row of rows) {
    if (row.authoritative && row.effectiveAt <= now && !current.has(row.type))
      current.set(row.type, row.version);
  }
  const statusOf = (row: LegalDocument): LegalDocumentStatus =>
    row.effectiveAt > now ? 'upcoming' : current.get(row.type) === row.version ? 'current' : 'superseded';
  return rows.map((row) => versionSummary(row, statusOf(row)));
}

function versionSummary(row: LegalDocument, status: LegalDocumentStatus) {
  return {
    id: row.id,
    type: row.type,
    version: row.version,
    language: row.language,
    authoritative: row.authoritative,
    title: row.title,
    effectiveAt: row.effectiveAt.toISOString(),
    status,
    material: row.material,
    changeSummary: row.changeSummary,
    noticeCompletedAt: row.noticeCompletedAt?.toISOString() ?? null,
    publishedAt: row.createdAt.toISOString(),
  };
}
