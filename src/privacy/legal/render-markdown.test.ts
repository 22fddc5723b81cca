import { describe, expect, it } from 'vitest';
import { renderMarkdownSafely } from './render-markdown.js';

describe('renderMarkdownSafely', () => {
  it('renders headings, lists, tables and links', () => {
    const html = renderMarkdownSafely(
      '## Rights\n\n- **Access**\n- [Contact](mailto:privacy@acme.test)\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n',
    );
    expect(html).toContain('<h2>Rights</h2>');
    expect(html).toContain('<li><strong>Access</strong></li>');
    expect(html).toContain('<a href="mailto:privacy@acme.test">Contact</a>');
    expect(html).toContain('<td>1</td>');
  });

  it('shows a raw script block as text', () => {
    const html = renderMarkdownSafely('Before\n\n<script>alert("x")</script>\n\nAfter');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('shows inline HTML as text', () => {
    const html = renderMarkdownSafely('Hello <img src=x onerror="alert(1)"> world');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  });

  it.each([
    '[click](javascript:alert(1))',
    '[click](JavaScript:alert(1))',
    '[click](<java\tscript:alert(1)>)',
    '[click](java&#x09;script:alert(1))',
    '[click](javascript&colon;alert(1))',
    '[click](data:text/html;base64,PHNjcmlwdD4=)',
    '<javascript:alert(1)>',
  ])('gives no link a script scheme for %s', (source) => {
    const html = renderMarkdownSafely(source);
    expect(html).not.toContain('<script');
    for (const href of hrefsAsTheBrowserReadsThem(html)) {
      expect(href).not.toMatch(/^(javascript|data|vbscript):/i);
    }
  });

  it('keeps relative and https links', () => {
    expect(renderMarkdownSafely('[privacy](/legal/privacy) [site](https://acme.test)')).toBe(
      '<p><a href="/legal/privacy">privacy</a> <a href="https://acme.test">site</a></p>\n',
    );
  });

  it('shows an image as its alt text only', () => {
    expect(renderMarkdownSafely('![logo "quoted"](https://tracker.test/pixel.png)')).toBe(
      '<p>logo &quot;quoted&quot;</p>\n',
    );
  });
});

/** Attribute values decoded the way a browser decodes them, then stripped as its URL parser does. */
function hrefsAsTheBrowserReadsThem(html: string): string[] {
  const named: Record<string, string> = {
    amp: '&',
    quot: '"',
    lt: '<',
    gt: '>',
    colon: ':',
    tab: '\t',
    newline: '\n',
  };
  return Array.from(html.matchAll(/href="([^"]*)"/g), (match) =>
    match[1]!
      .replace(/&#x([0-9a-f]+);?/gi, (_entity, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
      .replace(/&#(\d+);?/g, (_entity, decimal: string) => String.fromCodePoint(Number(decimal)))
      .replace(/&([a-z]+);/gi, (entity, name: string) => named[name.toLowerCase()] ?? entity)
      .replace(/[\t\n\r ]/g, ''),
  );
}
