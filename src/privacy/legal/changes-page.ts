/**
 * GET /legal/:type/changes?from=X&to=Y: what changed between two versions of a document, words
 * removed struck through and words added underlined. The notice mail and the banner link here, so
 * it is public like the documents themselves.
 */
import { z } from 'zod';
import type { App, AppContext } from '../../app-context.js';
import type { LegalDocument } from './current-documents.js';
import { type DiffPart, diffVersions } from './document-diff.js';
import { type TLegalDocumentType, ZLanguageTag } from './legal-document-types.js';
import { LEGAL_PAGE_CSP, renderPageShell } from './legal-page.js';
import { documentPath } from './legal-paths.js';
import { parseDocumentType, wantsJson } from './legal-routes.js';
import { ZLegalDocumentParams } from './legal-routes.types.js';
import { escapeHtml } from './render-markdown.js';
import { formatEffectiveDate } from './render-template.js';

const ZVersion = z.string().min(1).max(32);

const ZChangesQuery = z.object({
  from: ZVersion.describe('The earlier version'),
  to: ZVersion.describe('The later version'),
  lang: ZLanguageTag.optional(),
  format: z.enum(['json', 'html']).optional(),
});

export function registerChangesPage(app: App, ctx: AppContext): void {
  app.get(
    '/legal/:type/changes',
    { schema: { tags: ['legal'], params: ZLegalDocumentParams, querystring: ZChangesQuery } },
    async (request, reply) => {
      const type = parseDocumentType(request.params.type);
      const { from, to, lang } = request.query;
      const { diff, ...pair } = await diffVersions(ctx, type, from, to, lang);
      reply.header('vary', 'Accept');
      if (wantsJson(request.headers.accept, request.query.format)) {
        return {
          type,
          title: pair.to.title,
          language: pair.to.language,
          from: { version: pair.from.version, effectiveAt: pair.from.effectiveAt.toISOString() },
          to: { version: pair.to.version, effectiveAt: pair.to.effectiveAt.toISOString() },
          diff,
        };
      }
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', LEGAL_PAGE_CSP)
        .send(renderChangesPage(type, pair, diff, ctx.config.OPERATOR_NAME, ctx.now()));
    },
  );
}

function renderChangesPage(
  type: TLegalDocumentType,
  pair: { from: LegalDocument; to: LegalDocument },
  diff: readonly DiffPart[],
  operatorName: string,
  now: Date,
): string {
  const { from, to } = pair;
  const date = (document: LegalDocument) =>
    escapeHtml(formatEffectiveDate(document.effectiveAt, to.language));
  const link = (document: LegalDocument) =>
    `<a href="${escapeHtml(documentPath(type, document.version, document.language))}">version ${escapeHtml(document.version)}</a>`;
  const takesEffect = to.effectiveAt > now ? 'takes effect on' : 'effective';
  const body = diff
    .map((part) => {
      const text = escapeHtml(part.text);
      if (part.kind === 'added') return `<ins>${text}</ins>`;
      if (part.kind === 'removed') return `<del>${text}</del>`;
      return text;
    })
    .join('');
  return renderPageShell({
    title: `Changes to the ${to.title}`,
    documentTitle: `Changes: ${to.title}`,
    operatorName,
    language: to.language,
    headerHtml: `<p class="meta">From ${link(from)} (effective ${date(from)}) to ${link(to)} (${takesEffect} ${date(to)}).
Added text is <ins>underlined</ins>, removed text is <del>struck through</del>.</p>`,
    articleHtml: body,
    articleClass: 'diff',
  });
}
