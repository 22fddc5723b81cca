import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';

/**
 * Legal holds (PP 9.3): while a hold is active on a user, an organisation or a ticket, the retention
 * engine and erasure keep that subject's data, whatever its period says. A hold names its reason and
 * the staff member who owns it, and is released, never deleted.
 */
export const legalHolds = pgTable(
  'legal_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** user | organisation | ticket */
    scope: text('scope').notNull(),
    /** The held user's or organisation's id, or a ticket reference. */
    subjectId: text('subject_id').notNull(),
    reason: text('reason').notNull(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    releasedBy: uuid('released_by').references(() => users.id),
  },
  (table) => [
    index('legal_holds_active_idx').on(table.scope, table.subjectId).where(sql`released_at IS NULL`),
    check('legal_holds_scope', sql`scope IN ('user', 'organisation', 'ticket')`),
  ],
);
