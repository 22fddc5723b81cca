import { bigint, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';

export const organisations = pgTable('organisations', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => users.id),
  /** When the creator confirmed they have authority to bind the organisation (BT Agreement). */
  authorityConfirmedAt: timestamp('authority_confirmed_at', { withTimezone: true }).notNull(),
  /** active | closed (terminated: no spending, content deleted when the grace period ends) */
  status: text('status').notNull().default('active'),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  /** The owner who closed it, or the staff member who terminated it. */
  closedBy: uuid('closed_by'),
  /** The statement of reasons when the operator terminated it (DSA Art. 17). */
  closureReason: text('closure_reason'),
  /** When the grace period's deletion of its content ran. */
  contentErasedAt: timestamp('content_erased_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const organisationMembers = pgTable(
  'organisation_members',
  {
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    spendLimitMicros: bigint('spend_limit_micros', { mode: 'bigint' }),
    /** day, week, month or total: when the member's spend limit starts again (UTC). */
    spendLimitPeriod: text('spend_limit_period').notNull().default('month'),
    addedBy: uuid('added_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.organisationId, table.userId] }),
    index('organisation_members_user_idx').on(table.userId),
  ],
);

export const organisationInvitations = pgTable(
  'organisation_invitations',
  {
    id: uuid('id').primaryKey(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedBy: uuid('invited_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (table) => [uniqueIndex('organisation_invitations_token_key').on(table.tokenHash)],
);
