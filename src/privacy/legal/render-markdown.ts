import { Marked, type Tokens } from 'marked';

const ALLOWED_SCHEMES = new Set(['http', 'https', 'mailto']);

/**
 * Markdown -> HTML for legal documents. Raw HTML in the source is shown as text, never passed
 * through, and links with a scheme other than http(s) or mailto (`javascript:`, `data:`…) lose their
 * link, so a document edited in the operator console cannot inject script into the public page.
 * Images are shown as their alt text: a legal text has no need for them.
 */
const markdown = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html({ text }: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(text);
    },
    link({ href, title, tokens }: Tokens.Link) {
      const text = this.parser.parseInline(tokens);
      if (!isSafeUrl(href)) return text;
      // Escaping every `&` keeps the browser from decoding entities the check never saw
      // ("java&#x09;script:" would otherwise become a script link).
      const titleAttribute = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(href)}"${titleAttribute}>${text}</a>`;
    },
    image({ text }: Tokens.Image) {
      return escapeHtml(text);
    },
  },
});

export function renderMarkdownSafely(source: string): string {
  return markdown.parse(source, { async: false });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character]!);
}

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function isSafeUrl(href: string): boolean {
  // Browsers ignore control characters and spaces inside a scheme ("java\tscript:"), so do we.
  const normalised = Array.from(href)
    .filter((character) => character > ' ' && character !== '\u007f')
    .join('');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(normalised)?.[1];
  return scheme === undefined || ALLOWED_SCHEMES.has(scheme.toLowerCase());
}
