import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';

/** Versioned legal documents; acceptance rows point at the exact version accepted. */
export const legalDocuments = pgTable(
  'legal_documents',
  {
    id: uuid('id').primaryKey(),
    /** terms, privacy, … */
    type: text('type').notNull(),
    version: text('version').notNull(),
    language: text('language').notNull(),
    /** The language version that prevails when translations differ (PP 18.2). */
    authoritative: boolean('authoritative').notNull().default(true),
    title: text('title').notNull(),
    bodyMarkdown: text('body_markdown').notNull(),
    effectiveAt: timestamp('effective_at', { withTimezone: true }).notNull(),
    /** A material change: users must accept it again once it takes effect (BT Updates). */
    material: boolean('material').notNull().default(false),
    /** What changed, in the operator's words, for the notice mail and banner. */
    changeSummary: text('change_summary'),
    /** The staff member who published it; null for the bundled versions. */
    publishedBy: uuid('published_by'),
    /** The notice mail to every user: the last user id mailed so far, and when all were mailed. */
    noticeCursor: uuid('notice_cursor'),
    noticeCompletedAt: timestamp('notice_completed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('legal_documents_version_key').on(table.type, table.version, table.language)],
);

export const legalAcceptances = pgTable(
  'legal_acceptances',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    documentId: uuid('document_id')
      .notNull()
      .references(() => legalDocuments.id),
    documentType: text('document_type').notNull(),
    documentVersion: text('document_version').notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (table) => [index('legal_acceptances_user_idx').on(table.userId)],
);
