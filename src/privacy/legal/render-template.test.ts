import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { renderTemplate } from './render-template.js';
import { SEED_DOCUMENTS } from './seed-legal-documents.js';

const config = loadConfig({
  OPERATOR_NAME: 'Acme Test Ltd',
  OPERATOR_ADDRESS: '1 Example Street, 10115 Berlin, Germany',
  OPERATOR_EMAIL: 'help@acme.test',
  OPERATOR_PRIVACY_EMAIL: 'privacy@acme.test',
  OPERATOR_SUPERVISORY_AUTHORITY: 'the Berlin Commissioner for Data Protection',
  OPERATOR_JURISDICTION: 'Germany',
  PUBLIC_URL: 'https://ai.acme.test/',
  RETENTION_CLOSED_ACCOUNT_GRACE_DAYS: '45',
  LEGAL_NOTICE_DAYS: '21',
});
const document = { effectiveAt: new Date('2026-03-01T00:00:00Z'), language: 'en' };

describe('renderTemplate', () => {
  it('fills every placeholder from the configuration and the effective date', () => {
    const template = [
      '{{operator_name}}, {{operator_address}}',
      '{{operator_email}} / {{operator_privacy_email}}',
      '{{supervisory_authority}} | {{jurisdiction}} | {{public_url}}/legal/terms | {{ effective_date }}',
      'grace {{closed_account_grace_days}} days, notice {{legal_notice_days}} days',
    ].join('\n');
    expect(renderTemplate(template, config, document)).toBe(
      [
        'Acme Test Ltd, 1 Example Street, 10115 Berlin, Germany',
        'help@acme.test / privacy@acme.test',
        'the Berlin Commissioner for Data Protection | Germany | https://ai.acme.test/legal/terms | March 1, 2026',
        'grace 45 days, notice 21 days',
      ].join('\n'),
    );
  });

  it('refuses an unknown placeholder', () => {
    expect(() => renderTemplate('Hello {{operator_phone}}', config, document)).toThrow(
      /unknown placeholder \{\{operator_phone\}\}/,
    );
  });

  it('refuses an unclosed placeholder', () => {
    expect(() => renderTemplate('Hello {{operator_name', config, document)).toThrow(/unclosed placeholder/);
  });

  it('keeps configured values plain text inside the Markdown', () => {
    const hostile = loadConfig({
      OPERATOR_NAME: '[Acme](javascript:alert(1)) <b>*Ltd*</b>',
      OPERATOR_ADDRESS: 'Line 1\nLine 2',
    });
    const rendered = renderTemplate('{{operator_name}} at {{operator_address}}', hostile, document);
    expect(rendered).toBe('\\[Acme\\](javascript:alert(1)) \\<b\\>\\*Ltd\\*\\</b\\> at Line 1, Line 2');
  });

  it.each(SEED_DOCUMENTS)(
    'renders the bundled $file with no placeholder left',
    async ({ file, language }) => {
      const template = await readFile(new URL(`./documents/${file}`, import.meta.url), 'utf8');
      const rendered = renderTemplate(template, config, { ...document, language });
      expect(template).toContain('{{operator_name}}');
      expect(rendered).not.toMatch(/\{\{|\}\}/);
      expect(rendered).toContain('Acme Test Ltd');
      expect(rendered).toContain('Germany');
    },
  );

  it.each([
    ['public-offer.en.md', 'grace period of 45 days'],
    ['data-processing-agreement.en.md', 'grace period of 45 days'],
    ['data-processing-agreement.en.md', 'at least 21 days before they take effect'],
    ['acceptable-use-policy.en.md', 'at least 21 days before they take effect'],
    ['refund-policy.en.md', 'at least 21 days in advance'],
  ])('states the configured period in %s', async (file, period) => {
    const template = await readFile(new URL(`./documents/${file}`, import.meta.url), 'utf8');
    expect(renderTemplate(template, config, document)).toContain(period);
  });
});
