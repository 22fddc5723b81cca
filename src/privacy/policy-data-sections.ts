/**
 * The data sections of the privacy policy (what we process, why, on which basis, who receives it,
 * how long it is kept), rendered as Markdown from the data map and the running configuration. The
 * policy template places them with `{{data_categories}}`, `{{processing_purposes}}`,
 * `{{ai_providers}}` and `{{retention_periods}}`, so the published text says what the software does.
 */
import type { Deployment } from '../providers/spec.js';
import { DATA_CATEGORIES } from './datamap.js';
import { CATEGORY_GROUPS, type CategoryGroup, type DataCategory, LEGAL_BASES } from './datamap-types.js';
import { type RopaConfig, retentionDays, subProcessorsOf } from './record-of-processing.js';

export interface PolicyDataSections {
  data_categories: string;
  processing_purposes: string;
  ai_providers: string;
  retention_periods: string;
}

const categories = DATA_CATEGORIES as readonly DataCategory[];

/** Text from configuration or deployments lands in Markdown: keep it plain (see render-template.ts). */
export function plain(value: string): string {
  return value.replace(/\s*\r?\n\s*/g, ' ').replace(/[\\`*_[\]<>|]/g, (character) => `\\${character}`);
}

function dataCategories(): string {
  const groups = Object.keys(CATEGORY_GROUPS) as CategoryGroup[];
  return groups
    .map((group, index) => {
      const items = categories
        .filter((category) => category.group === group)
        .map((category) => `- **${category.name}.** ${category.description}`);
      return [`### 2.${index + 1}. ${CATEGORY_GROUPS[group]}`, '', ...items].join('\n');
    })
    .join('\n\n');
}

function processingPurposes(): string {
  const rows = categories.flatMap((category) =>
    category.purposes.map(
      (purpose) => `| ${purpose.description} | ${category.name} | ${LEGAL_BASES[purpose.basis]} |`,
    ),
  );
  return ['| Purpose | Data | Legal basis |', '| --- | --- | --- |', ...rows].join('\n');
}

function aiProviders(deployments: readonly Deployment[]): string {
  const processors = subProcessorsOf(deployments);
  if (processors.length === 0) return 'No AI provider is configured at present.';
  return processors
    .map((processor) => {
      const retention = processor.zeroRetention
        ? 'keeps no inputs or outputs'
        : 'may keep inputs and outputs for a limited time under its own terms';
      const safeguard = processor.thirdCountryTransfer
        ? `; transfer safeguard: ${plain(processor.transferSafeguard)}`
        : '';
      return `- **${plain(processor.provider)}** (${plain(processor.deploymentId)}): processes data in ${plain(processor.region)}, ${retention}${safeguard}.`;
    })
    .join('\n');
}

/** 1827 -> "5 years", 183 -> "6 months", 90 -> "90 days": the unit a reader expects, never a wrong number. */
export function describeDays(days: number): string {
  const years = Math.round(days / 365.25);
  if (years >= 1 && Math.abs(years * 365.25 - days) <= 2) return years === 1 ? '1 year' : `${years} years`;
  const months = Math.round(days / 30.44);
  if (months >= 4 && Math.abs(months * 30.44 - days) <= 2) return `${months} months`;
  return days === 1 ? '1 day' : `${days} days`;
}

function retentionPeriods(config: RopaConfig): string {
  return categories
    .map((category) => {
      const days = retentionDays(category.retention, config);
      const period =
        category.retention.kind === 'setting' && days !== null
          ? `${describeDays(days)}. `
          : category.retention.kind === 'until_deleted' && days !== null
            ? `Grace period after closing the account: ${describeDays(days)}. `
            : '';
      return `- **${category.name}:** ${period}${category.retention.description}`;
    })
    .join('\n');
}

export function policyDataSections(
  config: RopaConfig,
  deployments: readonly Deployment[],
): PolicyDataSections {
  return {
    data_categories: dataCategories(),
    processing_purposes: processingPurposes(),
    ai_providers: aiProviders(deployments),
    retention_periods: retentionPeriods(config),
  };
}
