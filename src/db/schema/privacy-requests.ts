import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';

/** What an erasure did, category by category: kept with the request, rendered as the deletion receipt. */
export interface StoredErasureReceipt {
  /** When the erasure started counting what it would do (the counts are from that moment). */
  countedAt: string;
  categories: Array<{
    id: string;
    name: string;
    action: 'deleted' | 'pseudonymised' | 'kept';
    /** The tables, and the folders (ending in "/"), the line counts. */
    tables: string[];
    rows: number;
    files: number;
    why: string;
  }>;
  /** When the receipt was mailed to the address the account had before it was pseudonymised. */
  mailedAt?: string;
}

/**
 * Requests to exercise a privacy right (GDPR Art. 15–21): who asked for what, when it is due (one
 * month, Art. 12(3)), how the person's identity was verified, who handled it and how it ended. The
 * row outlives the erasure it records (pseudonymised with the user row): it is the proof that the
 * request was answered. src/privacy/requests/ owns it.
 */
export const privacyRequests = pgTable(
  'privacy_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** access | erasure | rectification | restriction | objection | consent_withdrawal */
    type: text('type').notNull(),
    /** awaiting_verification | in_progress | completed | rejected */
    status: text('status').notNull(),
    /**
     * app (the signed-in user) | staff (received by e-mail or post, entered by staff) | termination
     * (a closed account's grace period ended) | retention (an account never verified within its period)
     */
    source: text('source').notNull(),
    /** What the person asked for, in their words (what to rectify, which processing they object to). */
    details: text('details'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    /** How the identity was verified: password (re-entered in the app) | email_link */
    verification: text('verification'),
    /** SHA-256 of the link mailed to the user for a request staff entered; cleared once used. */
    verificationTokenHash: text('verification_token_hash'),
    verificationExpiresAt: timestamp('verification_expires_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /** The staff member who entered the request or last changed its status. */
    handledBy: uuid('handled_by').references(() => users.id),
    /** Staff's reasons: why they entered it, why they completed or rejected it. */
    notes: text('notes'),
    /** Why processing waits (a legal hold, an organisation still owned); null when nothing blocks it. */
    blockedReason: text('blocked_reason'),
    /** The export archive, relative to the data directory (sealed with the user's data key). */
    exportLocation: text('export_location'),
    exportExpiresAt: timestamp('export_expires_at', { withTimezone: true }),
    receipt: jsonb('receipt').$type<StoredErasureReceipt>(),
  },
  (table) => [
    index('privacy_requests_user_idx').on(table.userId, table.receivedAt),
    index('privacy_requests_open_idx')
      .on(table.type, table.receivedAt)
      .where(sql`status IN ('awaiting_verification', 'in_progress')`),
    uniqueIndex('privacy_requests_token_key').on(table.verificationTokenHash),
    check(
      'privacy_requests_type',
      sql`type IN ('access', 'erasure', 'rectification', 'restriction', 'objection', 'consent_withdrawal')`,
    ),
    check(
      'privacy_requests_status',
      sql`status IN ('awaiting_verification', 'in_progress', 'completed', 'rejected')`,
    ),
    check('privacy_requests_source', sql`source IN ('app', 'staff', 'termination', 'retention')`),
    check(
      'privacy_requests_verification',
      sql`verification IS NULL OR verification IN ('password', 'email_link')`,
    ),
  ],
);
