import {
  LEGAL_DOCUMENT_TYPE_INFO,
  LEGAL_DOCUMENT_TYPES,
  type TLegalDocumentType,
} from './legal-document-types.js';
import { escapeHtml, renderMarkdownSafely } from './render-markdown.js';
import { formatEffectiveDate } from './render-template.js';

export interface LegalPageInput {
  type: TLegalDocumentType;
  title: string;
  version: string;
  language: string;
  effectiveAt: Date;
  status: 'upcoming' | 'current' | 'superseded';
  /** Markdown with placeholders already filled. */
  bodyMarkdown: string;
  operatorName: string;
}

/** The pages need nothing but their own inline style: no script, no frames, no forms, no images. */
export const LEGAL_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// Served under LEGAL_PAGE_CSP, without 'unsafe-inline' scripts; the only inline thing is this.
const STYLE = `
  :root { color-scheme: light dark; }
  body { margin: 0; font: 17px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
  h1 { font-size: 2rem; line-height: 1.2; margin: 0.25rem 0 0.5rem; }
  h2 { font-size: 1.3rem; margin-top: 2.2rem; }
  h3 { font-size: 1.08rem; margin-top: 1.6rem; }
  .operator, .meta, footer { color: GrayText; font-size: 0.92rem; }
  .summary { margin: 0.2rem 0 0; color: GrayText; font-size: 0.92rem; }
  .notice { border-left: 4px solid #c58a00; padding: 0.5rem 1rem; background: rgba(197, 138, 0, 0.1); }
  table { border-collapse: collapse; width: 100%; font-size: 0.92rem; display: block; overflow-x: auto; }
  th, td { border: 1px solid rgba(128, 128, 128, 0.4); padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }
  a { color: LinkText; }
  footer { margin-top: 3rem; border-top: 1px solid rgba(128, 128, 128, 0.4); padding-top: 1rem; }
  .diff { white-space: pre-wrap; overflow-wrap: anywhere; }
  ins { background: rgba(40, 160, 70, 0.22); text-decoration: underline; }
  del { background: rgba(210, 50, 50, 0.2); text-decoration: line-through; }
`;

/** A complete, self-contained HTML page for one legal document; every dynamic value is escaped. */
export function renderLegalPage(input: LegalPageInput): string {
  const effective = escapeHtml(formatEffectiveDate(input.effectiveAt, input.language));
  return renderPageShell({
    title: input.title,
    operatorName: input.operatorName,
    language: input.language,
    headerHtml: `<p class="meta">Version ${escapeHtml(input.version)} · ${statusLine(input.status, effective)}</p>
${statusNotice(input)}`,
    articleHtml: renderMarkdownSafely(input.bodyMarkdown),
    footerHtml: `<a href="/legal/${input.type}/versions">All versions</a> · ${legalLinks(input.type)}`,
  });
}

function statusLine(status: LegalPageInput['status'], effective: string): string {
  return status === 'upcoming' ? `takes effect on ${effective}` : `effective ${effective}`;
}

function statusNotice(input: LegalPageInput): string {
  if (input.status === 'current') return '';
  const text =
    input.status === 'upcoming'
      ? 'This version is announced and not yet in effect.'
      : 'This version is no longer in effect.';
  return `<p class="notice">${text} <a href="/legal/${input.type}">Read the current version</a>.</p>`;
}

/** A self-contained page in the legal pages' style for generated documents (sub-processors, the record of processing). */
export function renderInfoPage(input: {
  title: string;
  operatorName: string;
  language: string;
  meta: string;
  bodyMarkdown: string;
}): string {
  return renderPageShell({
    title: input.title,
    operatorName: input.operatorName,
    language: input.language,
    headerHtml: `<p class="meta">${escapeHtml(input.meta)}</p>`,
    articleHtml: renderMarkdownSafely(input.bodyMarkdown),
    footerHtml: legalLinks(),
  });
}

/** The index of all legal documents, then every document but the one being read. */
export function legalLinks(current?: TLegalDocumentType): string {
  const documents = LEGAL_DOCUMENT_TYPES.filter((type) => type !== current).map(
    (type) => `<a href="/legal/${type}">${escapeHtml(LEGAL_DOCUMENT_TYPE_INFO[type].title)}</a>`,
  );
  return ['<a href="/legal">All legal documents</a>', ...documents].join(' · ');
}

/**
 * The frame every legal page shares: operator, title, the caller's header lines, the article and a
 * footer. Title, operator and language are escaped here; the three HTML parts must be escaped by
 * the caller.
 */
export function renderPageShell(input: {
  title: string;
  /** The window's title when it differs from the heading. */
  documentTitle?: string;
  operatorName: string;
  language: string;
  headerHtml: string;
  articleHtml: string;
  /** `diff`: the text keeps its line breaks, as a comparison of versions needs. */
  articleClass?: 'diff';
  /** Absent: the page has no footer. */
  footerHtml?: string;
}): string {
  return `<!doctype html>
<html lang="${escapeHtml(input.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(input.documentTitle ?? input.title)} · ${escapeHtml(input.operatorName)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<p class="operator">${escapeHtml(input.operatorName)}</p>
<h1>${escapeHtml(input.title)}</h1>
${input.headerHtml}
</header>
<article${input.articleClass ? ` class="${input.articleClass}"` : ''}>
${input.articleHtml}
</article>
${input.footerHtml === undefined ? '' : `<footer>\n${input.footerHtml}\n</footer>\n`}</main>
</body>
</html>
`;
}
