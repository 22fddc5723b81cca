import { LEGAL_DOCUMENT_TYPE_INFO, type TLegalDocumentType } from './legal-document-types.js';
import { renderPageShell } from './legal-page.js';
import { escapeHtml } from './render-markdown.js';
import { formatEffectiveDate } from './render-template.js';

export interface LegalIndexEntry {
  type: TLegalDocumentType;
  /** The stored version's own title (a published version may retitle a document). */
  title: string;
  version: string;
  language: string;
  effectiveAt: Date;
  /** Site-relative link to the page, `?lang=` kept when the reader asked for a language. */
  path: string;
}

/** The public list of every legal document in effect, one row each, in the pages' own style (its frame is English, as the bundled texts). */
export function renderLegalIndexPage(input: {
  operatorName: string;
  documents: readonly LegalIndexEntry[];
}): string {
  const rows = input.documents.map(
    (document) => `<tr>
<td><a href="${escapeHtml(document.path)}">${escapeHtml(document.title)}</a>
<p class="summary">${escapeHtml(LEGAL_DOCUMENT_TYPE_INFO[document.type].summary)}</p></td>
<td>${escapeHtml(document.version)}</td>
<td>${escapeHtml(formatEffectiveDate(document.effectiveAt, 'en'))}</td>
</tr>`,
  );
  const table = rows.length
    ? `<table>
<thead><tr><th>Document</th><th>Version</th><th>Effective from</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`
    : '<p>No legal document is in effect yet.</p>';
  return renderPageShell({
    title: 'Legal documents',
    operatorName: input.operatorName,
    language: 'en',
    headerHtml: '<p class="meta">The documents in effect today, each with its version and effective date</p>',
    articleHtml: `<p>You accept the Terms of Service and read the Privacy Policy when you sign up. The documents marked "part of the terms" are included in the Terms of Service by reference; the Data Processing Agreement applies to organisations. A new version of a document is announced before it takes effect.</p>
${table}
<p>The AI providers that receive requests, where they process data and how transfers are safeguarded are listed on the <a href="/legal/sub-processors">sub-processors</a> page.</p>`,
    footerHtml: '<a href="/legal/sub-processors">Sub-processors</a>',
  });
}
