import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';

/**
 * Consent given or withdrawn (GDPR Art. 7(1): the operator must be able to show it), one row per
 * change and never updated: the current choice for a purpose is the newest row. A row belongs to a
 * signed-in user, to an anonymous browser (`visitor_id`, a random id the web app keeps in
 * localStorage), or to both when a signed-in user chose on that browser. src/privacy/consent/ owns it.
 */
export const consentRecords = pgTable(
  'consent_records',
  {
    // A sequence, not a random id: two choices in the same millisecond still have an order.
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    visitorId: uuid('visitor_id'),
    /** analytics (CONSENT_PURPOSES in src/privacy/consent/consent-purposes.ts) */
    purpose: text('purpose').notNull(),
    granted: boolean('granted').notNull(),
    /** banner | settings | gpc | sign_up */
    source: text('source').notNull(),
    /** The privacy policy version in effect when the choice was made. */
    policyVersion: text('policy_version').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (table) => [
    index('consent_records_user_idx').on(table.userId, table.purpose),
    index('consent_records_visitor_idx').on(table.visitorId, table.purpose),
    check('consent_records_owner', sql`user_id IS NOT NULL OR visitor_id IS NOT NULL`),
  ],
);
