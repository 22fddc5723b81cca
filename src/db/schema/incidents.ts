import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The register of security incidents and personal-data breaches (GDPR Art. 33(5): every breach is
 * documented, notified or not). A breach likely to risk people's rights must reach the supervisory
 * authority within 72 hours of becoming aware of it (Art. 33(1)); `aware_at` starts that clock.
 * src/audit/incidents/ owns it.
 */
export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    /** What happened, as far as known: facts, cause, systems affected. */
    description: text('description').notNull(),
    /** When the operator became aware of it: the 72-hour clock starts here. */
    awareAt: timestamp('aware_at', { withTimezone: true }).notNull(),
    /** When it happened, if known. */
    occurredAt: timestamp('occurred_at', { withTimezone: true }),
    /** low | medium | high */
    severity: text('severity').notNull(),
    /** open | contained | closed */
    status: text('status').notNull().default('open'),
    personalDataBreach: boolean('personal_data_breach').notNull(),
    /** Data categories concerned (ids from the data map). */
    dataCategories: text('data_categories').array().notNull().default(sql`'{}'::text[]`),
    approximateSubjects: integer('approximate_subjects'),
    likelyConsequences: text('likely_consequences'),
    measuresTaken: text('measures_taken'),
    /** Whether it must be notified to the authority (Art. 33(1): unless unlikely to result in a risk). */
    notifyAuthority: boolean('notify_authority'),
    /** Why the authority or the people were not notified, when they were not (Art. 33(5), 34(3)). */
    noNotificationReason: text('no_notification_reason'),
    authorityNotifiedAt: timestamp('authority_notified_at', { withTimezone: true }),
    authorityReference: text('authority_reference'),
    /** Reasons for notifying after 72 hours (Art. 33(1)). */
    delayReason: text('delay_reason'),
    subjectsNotifiedAt: timestamp('subjects_notified_at', { withTimezone: true }),
    /** The staff member who recorded it. */
    reportedBy: uuid('reported_by').notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('incidents_aware_idx').on(table.awareAt),
    check('incidents_severity', sql`severity IN ('low', 'medium', 'high')`),
    check('incidents_status', sql`status IN ('open', 'contained', 'closed')`),
  ],
);
