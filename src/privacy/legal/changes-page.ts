/**
 * GET /legal/:type/changes?from=X&to=Y: what changed between two versions of a document, words
 * removed struck through and words added underlined. The notice mail and the banner link here, so
 * it is public like the documents themselves.
 */
import { z } from 'zod';
import type { App, AppContext } from '../../app-context.js';
import { MixgateError } from '../../lib/errors.js';
import type { LegalDocument } from './current-documents.js';
import { type DiffPart, diffVersions } from './document-diff.js';
import { type TLegalDocumentType, ZLanguageTag, ZLegalDocumentType } from './legal-document-types.js';
import { documentPath } from './legal-paths.js';
import { wantsJson } from './legal-routes.js';
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

// As the legal pages: nothing but the inline style, no script, no frames, no forms, no images.
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function registerChangesPage(app: App, ctx: AppContext): void {
  app.get(
    '/legal/:type/changes',
    { schema: { tags: ['legal'], params: ZLegalDocumentParams, querystring: ZChangesQuery } },
    async (request, reply) => {
      const parsedType = ZLegalDocumentType.safeParse(request.params.type);
      if (!parsedType.success) {
        throw new MixgateError('not_found', `No legal document of type ${request.params.type}`);
      }
      const type = parsedType.data;
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
        .header('content-security-policy', PAGE_CSP)
        .send(renderChangesPage(type, pair, diff, ctx.config.OPERATOR_NAME, ctx.now()));
    },
  );
}

const STYLE = `
  :root { color-scheme: light dark; }
  body { margin: 0; font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
  h1 { font-size: 2rem; line-height: 1.2; margin: 0.25rem 0 0.5rem; }
  .operator, .meta { color: GrayText; font-size: 0.92rem; }
  .diff { white-space: pre-wrap; overflow-wrap: anywhere; }
  ins { background: rgba(40, 160, 70, 0.22); text-decoration: underline; }
  del { background: rgba(210, 50, 50, 0.2); text-decoration: line-through; }
  a { color: LinkText; }
`;

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
  return `<!doctype html>
<html lang="${escapeHtml(to.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Changes: ${escapeHtml(to.title)} · ${escapeHtml(operatorName)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<p class="operator">${escapeHtml(operatorName)}</p>
<h1>Changes to the ${escapeHtml(to.title)}</h1>
<p class="meta">From ${link(from)} (effective ${date(from)}) to ${link(to)} (${takesEffect} ${date(to)}).
Added text is <ins>underlined</ins>, removed text is <del>struck through</del>.</p>
</header>
<article class="diff">${body}</article>
</main>
</body>
</html>
`;
}
