import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  index,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { organisations } from './organisations.js';

/**
 * Double-entry ledger in the style of TigerBeetle. Every transfer moves an amount from one account to
 * another, so the balances of all accounts always sum to zero. Wallets are the users' and
 * organisations' prepaid credit; system accounts (revenue, payments clearing…) are the other side.
 * The ledger functions in migration 0003 are the only writers; see src/ledger/.
 */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** user_wallet, organisation_wallet, or a system account: revenue, payments_clearing… */
    kind: text('kind').notNull(),
    userId: uuid('user_id').references(() => users.id),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    /** Posted credits minus posted debits, in micros. */
    balance: bigint('balance', { mode: 'bigint' }).notNull().default(sql`0`),
    /** Sum of this wallet's open holds, in micros; available = balance - held. */
    held: bigint('held', { mode: 'bigint' }).notNull().default(sql`0`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('ledger_accounts_user_key').on(table.userId),
    uniqueIndex('ledger_accounts_organisation_key').on(table.organisationId),
    uniqueIndex('ledger_accounts_system_key')
      .on(table.kind)
      .where(sql`kind NOT IN ('user_wallet', 'organisation_wallet')`),
    check('ledger_accounts_held_not_negative', sql`held >= 0`),
    // The database itself refuses any change that would overdraw a wallet.
    check(
      'ledger_accounts_wallet_not_overdrawn',
      sql`kind NOT IN ('user_wallet', 'organisation_wallet') OR balance - held >= 0`,
    ),
    check(
      'ledger_accounts_owner',
      sql`(kind = 'user_wallet') = (user_id IS NOT NULL) AND (kind = 'organisation_wallet') = (organisation_id IS NOT NULL)`,
    ),
  ],
);

/** Immutable (a trigger refuses UPDATE and DELETE). One row per posted movement of money. */
export const ledgerTransfers = pgTable(
  'ledger_transfers',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    debitAccountId: bigint('debit_account_id', { mode: 'number' })
      .notNull()
      .references(() => ledgerAccounts.id),
    creditAccountId: bigint('credit_account_id', { mode: 'number' })
      .notNull()
      .references(() => ledgerAccounts.id),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    /** usage, top_up, manual_credit, manual_debit, promotion, refund… */
    kind: text('kind').notNull(),
    /** Unique per kind: replaying a request with the same key returns the first result. */
    idempotencyKey: text('idempotency_key').notNull(),
    reason: text('reason'),
    /** Who caused it: `user:<id>`, `staff:<id>`, `cli`, `system`. */
    actor: text('actor').notNull(),
    /** The hold this transfer posted, for usage. */
    holdId: bigint('hold_id', { mode: 'number' }),
    /** For usage: what was used and by whom, for history and spend charts. */
    model: text('model'),
    apiKeyId: uuid('api_key_id'),
    memberUserId: uuid('member_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('ledger_transfers_idempotency_key').on(table.kind, table.idempotencyKey),
    uniqueIndex('ledger_transfers_hold_key').on(table.holdId),
    index('ledger_transfers_debit_idx').on(table.debitAccountId, table.createdAt),
    index('ledger_transfers_credit_idx').on(table.creditAccountId, table.createdAt),
    index('ledger_transfers_api_key_idx')
      .on(table.apiKeyId, table.createdAt)
      .where(sql`api_key_id IS NOT NULL`),
    index('ledger_transfers_member_idx')
      .on(table.memberUserId, table.createdAt)
      .where(sql`member_user_id IS NOT NULL`),
    check('ledger_transfers_amount_positive', sql`amount > 0`),
    check('ledger_transfers_distinct_accounts', sql`debit_account_id <> credit_account_id`),
  ],
);

/**
 * Two-phase transfers: credit reserved on a wallet before a generation, then posted (possibly for
 * less) or voided, exactly once. Open holds past `expires_at` are voided by the expire-holds job.
 */
export const ledgerHolds = pgTable(
  'ledger_holds',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: bigint('account_id', { mode: 'number' })
      .notNull()
      .references(() => ledgerAccounts.id),
    /** Where the money goes when posted (revenue, for usage). */
    creditAccountId: bigint('credit_account_id', { mode: 'number' })
      .notNull()
      .references(() => ledgerAccounts.id),
    amount: bigint('amount', { mode: 'bigint' }).notNull(),
    /** open, posted, voided or expired. */
    status: text('status').notNull().default('open'),
    postedAmount: bigint('posted_amount', { mode: 'bigint' }),
    kind: text('kind').notNull().default('usage'),
    idempotencyKey: text('idempotency_key').notNull(),
    actor: text('actor').notNull(),
    model: text('model'),
    apiKeyId: uuid('api_key_id'),
    memberUserId: uuid('member_user_id'),
    /** Spend-limit counters this hold counts against, released or moved to `spent` on settlement. */
    keyCounterId: bigint('key_counter_id', { mode: 'number' }),
    memberCounterId: bigint('member_counter_id', { mode: 'number' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('ledger_holds_idempotency_key').on(table.idempotencyKey),
    index('ledger_holds_open_expiry_idx').on(table.expiresAt).where(sql`status = 'open'`),
    index('ledger_holds_open_account_idx').on(table.accountId).where(sql`status = 'open'`),
    check('ledger_holds_amount_positive', sql`amount > 0`),
    check('ledger_holds_status', sql`status IN ('open', 'posted', 'voided', 'expired')`),
    check(
      'ledger_holds_posted_amount',
      sql`(status = 'posted') = (posted_amount IS NOT NULL) AND coalesce(posted_amount, 0) BETWEEN 0 AND amount`,
    ),
  ],
);

/**
 * Spending per API key or organisation member per limit period, kept only while a limit is set.
 * A counter is created on the first hold of its period, starting from that period's posted usage.
 */
export const ledgerSpendCounters = pgTable(
  'ledger_spend_counters',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** `api_key:<key id>` or `member:<organisation id>:<user id>`. */
    scope: text('scope').notNull(),
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    spent: bigint('spent', { mode: 'bigint' }).notNull().default(sql`0`),
    held: bigint('held', { mode: 'bigint' }).notNull().default(sql`0`),
  },
  (table) => [
    uniqueIndex('ledger_spend_counters_scope_key').on(table.scope, table.periodStart),
    check('ledger_spend_counters_not_negative', sql`spent >= 0 AND held >= 0`),
  ],
);

/** Facts fixed when the ledger first started, such as its currency, checked at every start. */
export const ledgerSettings = pgTable('ledger_settings', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
