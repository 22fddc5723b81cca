import type { App, AppContext } from '../../app-context.js';
import { MixgateError } from '../../lib/errors.js';
import { registerAcceptanceRoutes } from './acceptance-routes.js';
import {
  getCurrentDocument,
  getDocumentVersion,
  type LegalDocument,
  type LegalDocumentStatus,
  listDocumentVersions,
} from './current-documents.js';
import {
  LEGAL_DOCUMENT_TYPE_INFO,
  LEGAL_DOCUMENT_TYPES,
  SIGN_UP_TYPES,
  type TLegalDocumentType,
  ZLegalDocumentType,
} from './legal-document-types.js';
import { type LegalIndexEntry, renderLegalIndexPage } from './legal-index-page.js';
import { LEGAL_PAGE_CSP, renderLegalPage } from './legal-page.js';
import { documentPath } from './legal-paths.js';
import {
  type TCurrentLegalDocuments,
  type TLegalIndex,
  ZCurrentLegalDocuments,
  ZLanguageQuery,
  ZLegalDocumentParams,
  ZLegalDocumentQuery,
  ZLegalDocumentVersions,
  ZLegalIndexQuery,
} from './legal-routes.types.js';
import { renderTemplate } from './render-template.js';

/** Public legal documents: readable pages for people, JSON for the web app's sign-up form. */
export async function registerLegalRoutes(app: App, ctx: AppContext): Promise<void> {
  registerAcceptanceRoutes(app, ctx);
  app.get('/legal', { schema: { querystring: ZLegalIndexQuery } }, async (request, reply) => {
    const documents = await listDocumentsInEffect(ctx, request.query.lang);
    reply.header('vary', 'Accept');
    if (wantsJson(request.headers.accept, request.query.format)) {
      return {
        documents: documents.map((document) => ({
          type: document.type,
          title: document.title,
          version: document.version,
          language: document.language,
          effectiveAt: document.effectiveAt.toISOString(),
          acceptedAtSignUp: LEGAL_DOCUMENT_TYPE_INFO[document.type].acceptedAtSignUp,
          url: `${ctx.config.publicUrl}${document.path}`,
        })),
        subProcessorsUrl: `${ctx.config.publicUrl}/legal/sub-processors`,
      } satisfies TLegalIndex;
    }
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', LEGAL_PAGE_CSP)
      .send(renderLegalIndexPage({ operatorName: ctx.config.OPERATOR_NAME, documents }));
  });

  app.get(
    '/legal/:type',
    { schema: { params: ZLegalDocumentParams, querystring: ZLegalDocumentQuery } },
    async (request, reply) => {
      const type = parseDocumentType(request.params.type);
      const { lang, version } = request.query;
      const now = ctx.now();
      const document = version
        ? await getDocumentVersion(ctx.db, type, version, lang)
        : await getCurrentDocument(ctx.db, type, lang, now);
      if (!document) {
        throw new MixgateError(
          'not_found',
          version ? `No version ${version} of the ${type} document` : `No ${type} document is in effect`,
        );
      }
      const bodyMarkdown = renderTemplate(
        document.bodyMarkdown,
        ctx.config,
        document,
        ctx.gateway.deployments,
      );
      reply.header('vary', 'Accept');
      if (wantsJson(request.headers.accept, request.query.format)) {
        return {
          type,
          version: document.version,
          language: document.language,
          title: document.title,
          effectiveAt: document.effectiveAt.toISOString(),
          bodyMarkdown,
        };
      }
      const status = version ? await statusOf(ctx, document, now) : 'current';
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', LEGAL_PAGE_CSP)
        .send(
          renderLegalPage({
            type,
            title: document.title,
            version: document.version,
            language: document.language,
            effectiveAt: document.effectiveAt,
            status,
            bodyMarkdown,
            operatorName: ctx.config.OPERATOR_NAME,
          }),
        );
    },
  );

  app.get(
    '/legal/:type/versions',
    { schema: { params: ZLegalDocumentParams, response: { 200: ZLegalDocumentVersions } } },
    async (request) => {
      const type = parseDocumentType(request.params.type);
      const versions = await listDocumentVersions(ctx.db, type, ctx.now());
      return {
        type,
        versions: versions.map((entry) => ({ ...entry, effectiveAt: entry.effectiveAt.toISOString() })),
      };
    },
  );

  app.get(
    '/api/legal/current',
    { schema: { querystring: ZLanguageQuery, response: { 200: ZCurrentLegalDocuments } } },
    async (request) => {
      const now = ctx.now();
      const entries = await Promise.all(
        SIGN_UP_TYPES.map(async (type) => {
          const document = await getCurrentDocument(ctx.db, type, request.query.lang, now);
          if (!document) throw new MixgateError('unavailable', `No ${type} document is in effect yet`);
          return [type, summarise(ctx, type, document)] as const;
        }),
      );
      return Object.fromEntries(entries) as TCurrentLegalDocuments;
    },
  );
}

/** Every type with a version in effect, in index order; a type not published yet is left out. */
async function listDocumentsInEffect(
  ctx: AppContext,
  language: string | undefined,
): Promise<LegalIndexEntry[]> {
  const now = ctx.now();
  const query = language ? `?${new URLSearchParams({ lang: language })}` : '';
  const documents = await Promise.all(
    LEGAL_DOCUMENT_TYPES.map(async (type) => {
      const document = await getCurrentDocument(ctx.db, type, language, now);
      return document && { ...document, type, path: `/legal/${type}${query}` };
    }),
  );
  return documents.filter((document) => document !== undefined);
}

export function parseDocumentType(value: string): TLegalDocumentType {
  const parsed = ZLegalDocumentType.safeParse(value);
  if (!parsed.success) throw new MixgateError('not_found', `No legal document of type ${value}`);
  return parsed.data;
}

function summarise(ctx: AppContext, type: TLegalDocumentType, document: LegalDocument) {
  return {
    id: document.id,
    version: document.version,
    language: document.language,
    title: document.title,
    effectiveAt: document.effectiveAt.toISOString(),
    url: `${ctx.config.publicUrl}${documentPath(type, document.version, document.language)}`,
  };
}

async function statusOf(ctx: AppContext, document: LegalDocument, now: Date): Promise<LegalDocumentStatus> {
  if (document.effectiveAt > now) return 'upcoming';
  const current = await getCurrentDocument(ctx.db, parseDocumentType(document.type), undefined, now);
  return current?.version === document.version ? 'current' : 'superseded';
}

/**
 * `?format=` wins; otherwise JSON only when the client ranks application/json above text/html
 * (browsers send text/html first; `fetch` from the web app sends application/json; curl's star
 * gets the page).
 */
export function wantsJson(accept: string | undefined, format: 'json' | 'html' | undefined): boolean {
  if (format) return format === 'json';
  if (!accept) return false;
  const quality = (mediaType: string) => {
    let best = 0;
    for (const part of accept.split(',')) {
      const [name, ...parameters] = part.trim().toLowerCase().split(';');
      if (name?.trim() !== mediaType) continue;
      const q = parameters.map((parameter) => /^\s*q=([\d.]+)\s*$/.exec(parameter)?.[1]).find(Boolean);
      best = Math.max(best, q === undefined ? 1 : Number(q));
    }
    return best;
  };
  return quality('application/json') > quality('text/html');
}
