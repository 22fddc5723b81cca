import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Append-only security log (PP 3.3, 12). Each row's hash covers its content and the previous row's
 * hash, so altering or deleting a row breaks the chain (`mixgate audit verify`). A trigger in the
 * migration also refuses UPDATE and DELETE, except the retention engine's redaction (0012).
 */
export const securityEvents = pgTable(
  'security_events',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull(),
    type: text('type').notNull(),
    userId: uuid('user_id'),
    actorId: uuid('actor_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    previousHash: text('previous_hash').notNull(),
    hash: text('hash').notNull(),
    /**
     * Set when the retention engine cleared the row's personal data (user, actor, IP, user agent,
     * details) at the end of its period. The row stays as a link of the chain, verified by its hashes.
     */
    redactedAt: timestamp('redacted_at', { withTimezone: true }),
  },
  (table) => [
    index('security_events_user_idx').on(table.userId),
    index('security_events_type_idx').on(table.type),
  ],
);
