import type { Config } from '../../config.js';
import type { Deployment } from '../../providers/spec.js';
import { policyDataSections } from '../policy-data-sections.js';
import type { RopaConfig } from '../record-of-processing.js';

/** The placeholders a legal document template may use; anything else in `{{…}}` is an error. */
export const PLACEHOLDER_NAMES = [
  'operator_name',
  'operator_address',
  'operator_email',
  'operator_privacy_email',
  'supervisory_authority',
  'jurisdiction',
  'public_url',
  'effective_date',
  // Periods the documents promise, from the configuration, so the text never drifts from what the
  // code does.
  'closed_account_grace_days',
  'legal_notice_days',
  // Blocks generated from the data map (src/privacy/policy-data-sections.ts).
  'data_categories',
  'processing_purposes',
  'ai_providers',
  'retention_periods',
] as const;
export type PlaceholderName = (typeof PLACEHOLDER_NAMES)[number];

export type OperatorConfig = RopaConfig &
  Pick<Config, 'OPERATOR_SUPERVISORY_AUTHORITY' | 'OPERATOR_JURISDICTION' | 'LEGAL_NOTICE_DAYS'>;

export class LegalTemplateError extends Error {
  override name = 'LegalTemplateError';
}

const PLACEHOLDER = /\{\{(.*?)\}\}/g;

/**
 * Fills `{{placeholders}}` in a legal document template with the operator's configuration and the
 * document's effective date. An unknown or malformed placeholder throws: a legal text must never be
 * published with a hole in it.
 */
export function renderTemplate(
  template: string,
  config: OperatorConfig,
  document: { effectiveAt: Date; language: string },
  /** The AI providers data is sent to, for `{{ai_providers}}`. */
  deployments: readonly Deployment[] = [],
): string {
  const values = placeholderValues(config, document, deployments);
  const leftover = template.replace(PLACEHOLDER, '');
  if (leftover.includes('{{') || leftover.includes('}}')) {
    throw new LegalTemplateError('Legal document template has an unclosed placeholder');
  }
  return template.replace(PLACEHOLDER, (_match, raw: string) => {
    const name = raw.trim();
    if (!isPlaceholderName(name)) {
      throw new LegalTemplateError(`Legal document template uses an unknown placeholder {{${name}}}`);
    }
    return values[name];
  });
}

function placeholderValues(
  config: OperatorConfig,
  document: { effectiveAt: Date; language: string },
  deployments: readonly Deployment[],
): Record<PlaceholderName, string> {
  return {
    ...policyDataSections(config, deployments),
    operator_name: inlineMarkdown(config.OPERATOR_NAME),
    operator_address: inlineMarkdown(config.OPERATOR_ADDRESS),
    operator_email: inlineMarkdown(config.OPERATOR_EMAIL),
    operator_privacy_email: inlineMarkdown(config.OPERATOR_PRIVACY_EMAIL),
    supervisory_authority: inlineMarkdown(config.OPERATOR_SUPERVISORY_AUTHORITY),
    jurisdiction: inlineMarkdown(config.OPERATOR_JURISDICTION),
    public_url: config.publicUrl,
    effective_date: formatEffectiveDate(document.effectiveAt, document.language),
    closed_account_grace_days: String(config.RETENTION_CLOSED_ACCOUNT_GRACE_DAYS),
    legal_notice_days: String(config.LEGAL_NOTICE_DAYS),
  };
}

function isPlaceholderName(name: string): name is PlaceholderName {
  return (PLACEHOLDER_NAMES as readonly string[]).includes(name);
}

/**
 * Configured values land inside Markdown: line breaks would split a sentence into blocks, and
 * brackets, backticks, asterisks and angle brackets would turn an address into a link, code or
 * HTML. Escaping them keeps the value plain text (HTML is escaped again when the page is rendered).
 */
function inlineMarkdown(value: string): string {
  return value
    .trim()
    .replace(/\s*\r?\n\s*/g, ', ')
    .replace(/[\\`*[\]<>]/g, (character) => `\\${character}`);
}

/** "1 March 2026" in the document's language; dates are UTC so every reader sees the same day. */
export function formatEffectiveDate(date: Date, language: string): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}
