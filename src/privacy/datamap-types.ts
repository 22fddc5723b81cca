/**
 * The vocabulary of the data map (datamap.ts): what a category of personal data is, why and on which
 * basis it is processed, who receives it, how long it is kept, and what erasure does to it.
 */

/** GDPR Art. 6(1) legal bases. */
export const LEGAL_BASES = {
  consent: 'Consent, Art. 6(1)(a) GDPR',
  contract: 'Performance of the contract, Art. 6(1)(b) GDPR',
  legal_obligation: 'Legal obligation, Art. 6(1)(c) GDPR',
  legitimate_interests: 'Legitimate interests, Art. 6(1)(f) GDPR',
} as const;
export type LegalBasis = keyof typeof LEGAL_BASES;

/**
 * Who receives the data besides the operator. `ai_providers` stands for the configured deployments,
 * listed one by one (with region and transfer safeguard) wherever the map is rendered.
 */
export const RECIPIENTS = {
  ai_providers: 'The AI providers configured by the operator, as sub-processors',
  hosting: "The operator's hosting, database, storage and backup providers, as processors",
  email_delivery: 'The e-mail delivery provider, as processor',
  payment_processor: 'The payment processor, partly as an independent controller',
  advisers_and_authorities: 'Accountants, auditors, lawyers and authorities, where the law requires it',
} as const;
export type Recipient = keyof typeof RECIPIENTS;

/**
 * Where a period comes from: a setting (src/config.ts, in days), or a rule tied to the account's life.
 * The retention engine and the privacy policy both read it from here.
 */
export type Retention =
  | { kind: 'setting'; setting: RetentionSetting; description: string }
  | { kind: 'account_lifetime'; description: string }
  | { kind: 'until_deleted'; graceSetting: RetentionSetting; description: string };

export const RETENTION_SETTINGS = [
  'RETENTION_SUPPORT_MESSAGES_DAYS',
  'RETENTION_BILLING_RECORDS_DAYS',
  'RETENTION_SECURITY_LOG_DAYS',
  'RETENTION_TECHNICAL_LOGS_DAYS',
  'RETENTION_ENDED_CREDENTIALS_DAYS',
  'RETENTION_UNVERIFIED_ACCOUNTS_DAYS',
  'RETENTION_CLOSED_ACCOUNT_GRACE_DAYS',
  'RETENTION_LEGAL_RECORDS_DAYS',
] as const;
export type RetentionSetting = (typeof RETENTION_SETTINGS)[number];

/**
 * What erasure of the person does to the data:
 * - `delete`: rows and files are deleted, and content keys destroyed (crypto-shredding);
 * - `pseudonymise`: rows stay for a legal obligation, with the link to the person replaced by a
 *   pseudonym and the directly identifying columns cleared (billing records: 5 years);
 * - `keep_until_period_ends`: kept unchanged until its retention period ends, because erasing it
 *   earlier would defeat its purpose (Art. 17(3)(b) and (e): the tamper-evident security log).
 */
export type ErasureRule = 'delete' | 'pseudonymise' | 'keep_until_period_ends';

/** The sections of the privacy policy (2.1–2.5) a category belongs to. */
export const CATEGORY_GROUPS = {
  account: 'Account data',
  service_interaction: 'Service interaction data',
  technical: 'Technical data',
  billing: 'Billing data',
  communications: 'Communications',
} as const;
export type CategoryGroup = keyof typeof CATEGORY_GROUPS;

export interface Purpose {
  description: string;
  basis: LegalBasis;
}

export interface DataCategory {
  id: string;
  group: CategoryGroup;
  name: string;
  /** What it holds, in words a user understands. */
  description: string;
  purposes: Purpose[];
  /** GDPR Art. 14(2)(f) / 15(1)(g): where the data comes from. */
  source: string;
  recipients: Recipient[];
  retention: Retention;
  erasure: ErasureRule;
  /** Part of the access/portability export (Art. 15, 20). */
  exported: boolean;
}

/**
 * One column of a mapped table:
 * - `subject`: links the row to the person (their id, or a row that leads to them);
 * - `personal`: holds personal data of the row's category (or of `category` when given);
 * - `internal`: says nothing about a person on its own (surrogate ids, states, amounts are kept
 *   here only when the row itself is already mapped as the person's data).
 */
export type ColumnRole =
  | { role: 'subject' }
  | ({ role: 'personal'; category?: string; what: string } & ColumnHandling)
  | ({ role: 'internal' } & ColumnHandling);

/** How the export and the erasure (src/privacy/requests/) treat a column, beyond its role. */
export interface ColumnHandling {
  /** Sealed with the owner's data key (content-cipher.ts): the export opens it; `json` holds JSON. */
  sealed?: 'text' | 'json';
  /** Personal, yet never handed out, not even to the person: a password hash, a two-factor secret. */
  secret?: true;
  /**
   * In a row its category keeps after erasure (pseudonymised), this column is cleared: the obligation
   * the row is kept for does not need it, or it names a row the erasure deletes.
   */
  clearOnErasure?: true;
}

export interface TableMap {
  table: string;
  /** The category every personal column belongs to unless it names its own. */
  category: string;
  /**
   * SQL predicate selecting the person's rows, with `$1` the user's id: the export reads with it,
   * erasure deletes or pseudonymises with it. Null when rows reach a person only through an
   * organisation (handled with the organisation).
   */
  userRows: string | null;
  columns: Record<string, ColumnRole>;
  /** Anything a reader of the map must know about this table. */
  note?: string;
  /**
   * Set when erasure treats this table by a step of its own instead of its category's rule, and
   * says what that step does (the user row is pseudonymised, a data key is destroyed…).
   */
  erasedBy?: string;
}

/** Personal data kept outside the database (files under the data directory). */
export interface FileStoreMap {
  /** Relative to the data directory; `<user>` and `<job>` name the owner's folder. */
  path: string;
  category: string;
  what: string;
  /** False for copies made for the person (an export archive): not part of the next export. */
  exported?: false;
}

/** Tables that hold no personal data, each with the reason, so the schema test can tell. */
export interface NonPersonalTable {
  table: string;
  reason: string;
}
