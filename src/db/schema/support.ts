import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import type { Sealed } from './user-data-keys.js';

/**
 * Support tickets (src/support): a user's question and the conversation with the operator's staff.
 * Subjects and messages, the staff's replies included, are sealed with the ticket owner's data key
 * (src/privacy/content-cipher.ts), so erasing the owner shreds the whole conversation.
 */
export const supportTickets = pgTable(
  'support_tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    subject: text('subject').$type<Sealed<string>>().notNull(),
    /** account | billing | technical | privacy | abuse | other */
    category: text('category').notNull(),
    /** open (waiting for staff) | answered (waiting for the user) | closed */
    status: text('status').notNull().default('open'),
    /** The staff member handling it. */
    assignedTo: uuid('assigned_to'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (table) => [
    index('support_tickets_user_idx').on(table.userId, table.updatedAt.desc()),
    index('support_tickets_status_idx').on(table.status, table.updatedAt),
    check('support_tickets_status', sql`status IN ('open', 'answered', 'closed')`),
    check(
      'support_tickets_category',
      sql`category IN ('account', 'billing', 'technical', 'privacy', 'abuse', 'other')`,
    ),
  ],
);

export const supportMessages = pgTable(
  'support_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => supportTickets.id, { onDelete: 'cascade' }),
    /** The user or the staff member who wrote it; no foreign key, so a staff member's erasure keeps the thread. */
    authorId: uuid('author_id'),
    fromStaff: boolean('from_staff').notNull(),
    body: text('body').$type<Sealed<string>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('support_messages_ticket_idx').on(table.ticketId, table.createdAt)],
);
