/**
 * The record of processing activities (GDPR Art. 30(1)), generated from the data map and the
 * running configuration: the retention periods are the configured ones and the AI providers are
 * the deployments this instance really sends data to, so the record cannot drift from the software.
 */
import type { Config } from '../config.js';
import type { Deployment } from '../providers/spec.js';
import { DATA_CATEGORIES, DATA_FILES, DATA_TABLES } from './datamap.js';
import {
  CATEGORY_GROUPS,
  type DataCategory,
  type ErasureRule,
  LEGAL_BASES,
  RECIPIENTS,
  type Recipient,
  type Retention,
  type RetentionSetting,
} from './datamap-types.js';

export type RopaConfig = Pick<
  Config,
  | 'OPERATOR_NAME'
  | 'OPERATOR_ADDRESS'
  | 'OPERATOR_EMAIL'
  | 'OPERATOR_PRIVACY_EMAIL'
  | 'publicUrl'
  | RetentionSetting
>;

/** Regions whose transfers need no safeguard (the EEA and processing on the operator's own machines). */
const NO_TRANSFER_REGIONS = new Set(['EU', 'EEA', 'local', 'self-hosted']);

export interface SubProcessor {
  deploymentId: string;
  provider: string;
  region: string;
  zeroRetention: boolean;
  transferSafeguard: string;
  /** Outside the EEA: a transfer to a third country (Chapter V GDPR). */
  thirdCountryTransfer: boolean;
}

export interface RopaActivity {
  category: string;
  group: string;
  name: string;
  description: string;
  purposes: Array<{ description: string; legalBasis: string }>;
  dataSubjects: string[];
  source: string;
  recipients: string[];
  retention: { description: string; days: number | null; rule: Retention['kind'] };
  erasure: ErasureRule;
  exported: boolean;
  storage: Array<{ table: string; columns: string[] } | { files: string }>;
}

export interface RecordOfProcessing {
  generatedAt: string;
  controller: { name: string; address: string; email: string; privacyContact: string; service: string };
  activities: RopaActivity[];
  subProcessors: SubProcessor[];
  thirdCountryTransfers: Array<{ recipient: string; region: string; safeguard: string }>;
  securityMeasures: string[];
}

// Art. 30(1)(g): a general description of the technical and organisational measures.
const SECURITY_MEASURES = [
  "Content (prompts, outputs, uploads, messages) is encrypted at rest with AES-256-GCM under a per-user data key, itself encrypted with the instance's master key; erasure destroys the data key.",
  'Passwords are stored as argon2id hashes; API keys, session and one-time tokens only as SHA-256 hashes; two-factor secrets encrypted with the master key.',
  'Sessions use HttpOnly, SameSite cookies with CSRF tokens; two-factor authentication (TOTP) with recovery codes; brute-force lock-out and rate limits.',
  'Staff access follows least-privilege roles; staff access to user content needs a stated reason and is recorded.',
  'A tamper-evident, hash-chained, append-only security log of sign-ins, permission and key changes.',
  'Logs never contain prompts, outputs, passwords, keys or tokens.',
  'Routing honours each user’s restriction to zero-retention providers or regions, or refuses the request.',
];

export function retentionDays(retention: Retention, config: RopaConfig): number | null {
  if (retention.kind === 'setting') return config[retention.setting];
  if (retention.kind === 'until_deleted') return config[retention.graceSetting];
  return null;
}

export function subProcessorsOf(deployments: readonly Deployment[]): SubProcessor[] {
  return deployments.map((deployment) => ({
    deploymentId: deployment.id,
    provider: deployment.provider,
    region: deployment.region,
    zeroRetention: deployment.zeroRetention,
    transferSafeguard: deployment.transferSafeguard,
    thirdCountryTransfer: !NO_TRANSFER_REGIONS.has(deployment.region),
  }));
}

function dataSubjectsOf(category: DataCategory): string[] {
  if (category.id === 'organisations')
    return ['Users', 'Members of their organisations', 'People invited by e-mail'];
  if (category.id === 'security_log') return ['Users', "The operator's staff", 'Visitors who try to sign in'];
  return ['Users'];
}

function recipientsOf(recipients: readonly Recipient[], subProcessors: SubProcessor[]): string[] {
  return recipients.flatMap((recipient) =>
    recipient === 'ai_providers'
      ? subProcessors.map(
          (processor) => `${processor.provider} (deployment ${processor.deploymentId}, ${processor.region})`,
        )
      : [RECIPIENTS[recipient]],
  );
}

function storageOf(categoryId: string): RopaActivity['storage'] {
  const tables = DATA_TABLES.flatMap((table) => {
    const columns = Object.entries(table.columns)
      .filter(([, role]) => role.role === 'personal' && (role.category ?? table.category) === categoryId)
      .map(([column]) => column);
    return columns.length > 0 ? [{ table: table.table, columns }] : [];
  });
  const files = DATA_FILES.filter((file) => file.category === categoryId).map((file) => ({
    files: file.path,
  }));
  return [...tables, ...files];
}

export function buildRecordOfProcessing(
  config: RopaConfig,
  deployments: readonly Deployment[],
  now: Date,
): RecordOfProcessing {
  const subProcessors = subProcessorsOf(deployments);
  const activities = (DATA_CATEGORIES as readonly DataCategory[]).map((category) => ({
    category: category.id,
    group: CATEGORY_GROUPS[category.group],
    name: category.name,
    description: category.description,
    purposes: category.purposes.map((purpose) => ({
      description: purpose.description,
      legalBasis: LEGAL_BASES[purpose.basis],
    })),
    dataSubjects: dataSubjectsOf(category),
    source: category.source,
    recipients: recipientsOf(category.recipients, subProcessors),
    retention: {
      description: category.retention.description,
      days: retentionDays(category.retention, config),
      rule: category.retention.kind,
    },
    erasure: category.erasure,
    exported: category.exported,
    storage: storageOf(category.id),
  }));
  return {
    generatedAt: now.toISOString(),
    controller: {
      name: config.OPERATOR_NAME,
      address: config.OPERATOR_ADDRESS,
      email: config.OPERATOR_EMAIL,
      privacyContact: config.OPERATOR_PRIVACY_EMAIL,
      service: config.publicUrl,
    },
    activities,
    subProcessors,
    thirdCountryTransfers: subProcessors
      .filter((processor) => processor.thirdCountryTransfer)
      .map((processor) => ({
        recipient: `${processor.provider} (${processor.deploymentId})`,
        region: processor.region,
        safeguard: processor.transferSafeguard,
      })),
    securityMeasures: SECURITY_MEASURES,
  };
}
