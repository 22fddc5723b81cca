import path from 'node:path';
import { z } from 'zod';
import { PROVIDER_SETTINGS } from './catalog/provider-deployments.js';

/**
 * Every setting Mixgate reads, from the environment only. Each entry has a default that works on one
 * machine and a description; the README's configuration table is generated from this schema
 * (`npm run docs:config`) and a test keeps the two equal.
 */
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

export const SETTINGS = {
  HOST: z.string().min(1).default('127.0.0.1').describe('Address the HTTP server listens on.'),
  PORT: port.default(3000).describe('HTTP port (0 picks a free one).'),
  PUBLIC_URL: z
    .url()
    .optional()
    .describe('Base URL users reach Mixgate at, used in e-mailed links. Default: http://HOST:PORT.'),
  MIXGATE_DATA_DIR: z
    .string()
    .min(1)
    .default('./data')
    .describe('Folder for the embedded database, master key, mail files and uploads.'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe('PostgreSQL to use instead of the embedded one (postgres://user@host:port/db).'),
  DATABASE_POOL_SIZE: positiveInt.max(200).default(10).describe('Connections in the database pool.'),
  MIXGATE_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 bytes in base64')
    .optional()
    .describe(
      'Instance master key (32 bytes, base64) that encrypts secrets at rest. Default: generated into DATA_DIR/master.key.',
    ),
  MIXGATE_NEW_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 bytes in base64')
    .optional()
    .describe(
      'Only for `mixgate keys rotate-master`: the key to rotate to (32 bytes, base64). Default: generated.',
    ),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional()
    .describe('Redis for rate limits shared by several instances (in-process when unset).'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional()
    .describe('SMTP server for outgoing mail. Default: .eml files under DATA_DIR/mail.'),
  MAIL_FROM: z.string().min(3).default('Mixgate <no-reply@localhost>').describe('Sender of outgoing mail.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Log level (logs never contain passwords, tokens, keys or prompts).'),
  TRUST_PROXY: bool.default(false).describe('Trust X-Forwarded-* headers (set when behind a load balancer).'),
  BODY_LIMIT_BYTES: positiveInt.default(1_048_576).describe('Largest accepted JSON request body.'),
  SESSION_TTL_HOURS: positiveInt.default(24 * 30).describe('How long a web session lasts without use.'),
  SIGNUP_LIMIT_PER_IP_HOUR: positiveInt.default(30).describe('Sign-ups accepted per IP address per hour.'),
  LOGIN_LIMIT_PER_IP_10MIN: positiveInt
    .default(100)
    .describe('Log-in attempts accepted per IP address per 10 minutes.'),
  RESET_LIMIT_PER_IP_HOUR: positiveInt
    .default(20)
    .describe('Password-reset and verification mails requested per IP address per hour.'),
  CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .default('USD')
    .describe('The one currency of all credit and prices (ISO 4217); amounts are integer micro-units of it.'),
  JOBS_ENABLED: bool.default(true).describe('Run background jobs (pg-boss) in this process.'),
  MARKUP_PERCENT: z.coerce
    .number()
    .min(0)
    .max(1000)
    .refine((percent) => Math.abs(percent * 100 - Math.round(percent * 100)) < 1e-9, {
      message: 'must have at most 2 decimals',
    })
    .default(0)
    .describe(
      "The operator's markup on every provider price, in percent (a model's own markupPercent wins).",
    ),
  CATALOG_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      'A model catalog of your own (JSON, same format as src/catalog/models.json), merged over the shipped one.',
    ),
  GATEWAY_ATTEMPT_TIMEOUT_MS: positiveInt
    .default(60_000)
    .describe("Longest wait for a stream's first event from a provider before retrying elsewhere."),
  GATEWAY_TOTAL_TIMEOUT_MS: positiveInt
    .default(600_000)
    .describe('Longest time for all attempts of one request (a non-streamed answer may use all of it).'),
  GATEWAY_JOB_POLL_MS: positiveInt
    .default(2_000)
    .describe('Between two polls of a long generation (video, music) at its provider.'),
  GATEWAY_HOLDS_AHEAD: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(4)
    .describe(
      'Holds kept ready for each user, key and model in steady use, so a request need not wait for its own (0: none).',
    ),
  SETTLEMENT_JOURNAL: z
    .enum(['auto', 'on', 'off'])
    .default('auto')
    .describe(
      'Make captures durable in DATA_DIR/settlement-journal.jsonl and commit them to the database just after the response (auto: on with the embedded database, off with DATABASE_URL; on needs DATA_DIR on lasting storage).',
    ),
  JOB_WEBHOOK_ALLOW_PRIVATE: bool
    .default(false)
    .describe('Let job webhooks call private and loopback addresses (only for a trusted network).'),
  LOCAL_MODEL_CHUNK_DELAY_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(0)
    .describe("Pause between the built-in demo model's streamed words (to watch streaming)."),
  ANALYTICS_SCRIPT_URL: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe(
      'An analytics script (Plausible, Matomo…) the web app loads only for visitors who consented to analytics; its origin is added to the Content-Security-Policy. Unset: no analytics, and the cookie settings say only essential cookies are used.',
    ),
  OPERATOR_NAME: z.string().min(1).default('The Operator').describe('Legal name of the operator.'),
  OPERATOR_ADDRESS: z
    .string()
    .min(1)
    .default('(operator address not configured)')
    .describe('Postal address of the operator, shown in legal documents.'),
  OPERATOR_EMAIL: z
    .string()
    .min(3)
    .default('support@localhost')
    .describe('General contact e-mail of the operator.'),
  OPERATOR_PRIVACY_EMAIL: z
    .string()
    .min(3)
    .default('privacy@localhost')
    .describe('Contact e-mail for privacy requests.'),
  OPERATOR_SUPERVISORY_AUTHORITY: z
    .string()
    .min(1)
    .default('the data protection authority of your country of residence')
    .describe('Supervisory authority named in the privacy policy.'),
  OPERATOR_JURISDICTION: z
    .string()
    .min(1)
    .default('the operator’s country of establishment')
    .describe('Governing law named in the terms of service.'),
  // Retention periods (src/privacy/datamap.ts names which data each one governs).
  RETENTION_SUPPORT_MESSAGES_DAYS: positiveInt
    .default(183)
    .describe('Days support messages and output reports are kept after they were resolved.'),
  RETENTION_BILLING_RECORDS_DAYS: positiveInt
    .default(1827)
    .describe('Days billing and usage records are kept (pseudonymised after an erasure): 5 years.'),
  RETENTION_SECURITY_LOG_DAYS: positiveInt.default(365).describe('Days security log entries are kept.'),
  RETENTION_TECHNICAL_LOGS_DAYS: positiveInt
    .default(90)
    .describe('Days technical records and mail files are kept.'),
  RETENTION_ENDED_CREDENTIALS_DAYS: positiveInt
    .default(7)
    .describe('Days an expired or ended session and a used or expired one-time link are kept.'),
  RETENTION_UNVERIFIED_ACCOUNTS_DAYS: positiveInt
    .default(30)
    .describe('Days an account whose e-mail address was never confirmed is kept.'),
  RETENTION_CLOSED_ACCOUNT_GRACE_DAYS: positiveInt
    .default(30)
    .describe("Days a closed account's content is kept (for export) before it is deleted."),
  RETENTION_LEGAL_RECORDS_DAYS: positiveInt
    .default(1096)
    .describe('Days acceptance and consent records are kept after the account was closed: 3 years.'),
  LEGAL_NOTICE_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(365)
    .default(30)
    .describe('Days of advance notice before a new version of a legal document takes effect.'),
} as const;

export type SettingName = keyof typeof SETTINGS;

const ZEnvironment = z.object(SETTINGS);
type TEnvironment = z.infer<typeof ZEnvironment>;

export type Config = Readonly<
  TEnvironment & {
    dataDir: string;
    publicUrl: string;
    /** The providers' variables as given (keys included), read by deploymentsFromEnv. */
    providerEnv: Readonly<Record<string, string>>;
  }
>;

/** Names whose values are never echoed in an error message. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSWORD|_URL$/;

export class ConfigError extends Error {}

/** Reads the environment once into a frozen config; an empty variable counts as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const name of Object.keys(SETTINGS)) {
    const value = env[name];
    if (value !== undefined && value !== '') input[name] = value;
  }
  const parsed = ZEnvironment.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    const shown = SECRET_NAME.test(name) ? '' : `=${JSON.stringify(input[name])}`;
    throw new ConfigError(`Invalid configuration: ${name}${shown}: ${issue.message}`);
  }
  const settings = parsed.data;
  const dataDir = path.resolve(settings.MIXGATE_DATA_DIR);
  const publicUrl = (settings.PUBLIC_URL ?? `http://${settings.HOST}:${settings.PORT}`).replace(/\/$/, '');
  const providerEnv: Record<string, string> = {};
  for (const name of Object.keys(PROVIDER_SETTINGS)) {
    const value = env[name];
    if (value !== undefined && value !== '') providerEnv[name] = value;
  }
  return Object.freeze({ ...settings, dataDir, publicUrl, providerEnv: Object.freeze(providerEnv) });
}

/** The README's configuration table, generated from the schema. */
export function configurationTable(): string {
  const all: Array<[string, z.ZodType]> = [...Object.entries(SETTINGS), ...Object.entries(PROVIDER_SETTINGS)];
  const rows = all.map(([name, schema]) => {
    const fallback = defaultOf(schema);
    return `| \`${name}\` | ${fallback === undefined ? '' : `\`${fallback}\``} | ${schema.description ?? ''} |`;
  });
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

function defaultOf(schema: z.ZodType): string | undefined {
  const result = schema.safeParse(undefined);
  return result.success && result.data !== undefined ? String(result.data) : undefined;
}
