import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    /** Lower-cased; unique. */
    email: text('email').notNull(),
    emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true }),
    username: text('username').notNull(),
    displayName: text('display_name'),
    passwordHash: text('password_hash').notNull(),
    /** GDPR: age evidence is kept as a yes/no result and when it was given, nothing more. */
    ageConfirmed: boolean('age_confirmed').notNull(),
    ageConfirmedAt: timestamp('age_confirmed_at', { withTimezone: true }).notNull(),
    /** TOTP secret, AES-256-GCM sealed with the master key. */
    totpSecretSealed: text('totp_secret_sealed'),
    totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
    /** Last accepted TOTP time step: a code is accepted once, never replayed. */
    totpLastStep: bigint('totp_last_step', { mode: 'number' }),
    failedLoginCount: integer('failed_login_count').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    /** Operator staff role: admin, support, billing or privacy; null for users. */
    staffRole: text('staff_role'),
    /** active | suspended | closed (terminated, in its grace period) | erasing | erased */
    status: text('status').notNull().default('active'),
    /** Termination (src/accounts/termination/): when the account was closed, by whom and why. */
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** The user themself, or the staff member who terminated the account. */
    closedBy: uuid('closed_by'),
    /** The statement of reasons when the operator terminated the account (DSA Art. 17). */
    closureReason: text('closure_reason'),
    /**
     * Standing routing restrictions (src/gateway/routing/plan-route.ts RoutingPolicy): allowed
     * providers, zero-retention only, regions. Null: no restriction.
     */
    routingPolicy: jsonb('routing_policy').$type<{
      allowedProviders?: string[];
      zeroRetentionOnly?: boolean;
      regions?: string[];
    }>(),
    /** Off: the web app keeps no conversation (it calls /v1 directly and stores nothing). */
    historyEnabled: boolean('history_enabled').notNull().default(true),
    /** The web app's language: en, de, fr or es. */
    language: text('language').notNull().default('en'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_email_key').on(table.email),
    uniqueIndex('users_username_key').on(sql`lower(${table.username})`),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    csrfToken: text('csrf_token').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    /** ISO 3166 country of the IP address, from the offline database (src/privacy/approximate-location.ts). */
    country: text('country'),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('sessions_token_hash_key').on(table.tokenHash),
    index('sessions_user_idx').on(table.userId),
  ],
);

/** Single-use, expiring tokens sent by mail (e-mail verification, password reset, e-mail change). */
export const userTokens = pgTable(
  'user_tokens',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    /** For an e-mail change: the address the link was sent to, which becomes the account's on use. */
    newEmail: text('new_email'),
  },
  (table) => [
    uniqueIndex('user_tokens_hash_key').on(table.tokenHash),
    index('user_tokens_user_idx').on(table.userId),
  ],
);

export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.codeHash] })],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Set when the key acts for the user as a member of this organisation. */
    organisationId: uuid('organisation_id'),
    name: text('name').notNull(),
    /** First characters of the key, shown in lists so users can tell keys apart. */
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull(),
    scopes: text('scopes').array().notNull(),
    spendLimitMicros: bigint('spend_limit_micros', { mode: 'bigint' }),
    /** day, week, month or total: when the key's spend limit starts again (UTC). */
    spendLimitPeriod: text('spend_limit_period').notNull().default('total'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('api_keys_hash_key').on(table.keyHash),
    index('api_keys_user_idx').on(table.userId),
  ],
);
