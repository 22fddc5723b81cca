import { sql } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apiKeys, users } from './accounts.js';
import { organisations } from './organisations.js';
import type { Sealed } from './user-data-keys.js';

/**
 * Long generations run by a provider (video, music, some images): POST /v1/jobs creates one with its
 * credit held, the job queue starts it upstream and polls it until it ends, and the outcome is
 * settled like any request. All state is here, so a restart resumes where it stopped.
 */
export const gatewayJobs = pgTable(
  'gateway_jobs',
  {
    /** `job-` + the same 26 characters as its generation id. */
    id: text('id').primaryKey(),
    /** The generation record written when the job settles (`gen-…`). */
    generationId: text('generation_id').notNull().unique(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id),
    /** The catalog model asked for, and the one (with its deployment) that runs it. */
    requestedModel: text('requested_model').notNull(),
    model: text('model'),
    deploymentId: text('deployment_id'),
    upstreamModel: text('upstream_model'),
    /** The provider's id for the job (a Replicate prediction id). */
    upstreamId: text('upstream_id'),
    /** queued | running | succeeded | failed | cancelled */
    status: text('status').notNull(),
    /** Percent, when the provider tells. */
    progress: integer('progress'),
    /**
     * The model's inputs (the prompt among them), kept only until the provider accepted the job,
     * then erased: a restart before that point needs them to start it. Sealed with the owner's data key.
     */
    input: text('input').$type<Sealed<Record<string, unknown>>>(),
    /** The routing request (`models`, `provider`), re-planned when the job starts. */
    routing: jsonb('routing').$type<{ models: string[]; provider?: Record<string, unknown> }>().notNull(),
    holdId: bigint('hold_id', { mode: 'number' }).notNull(),
    holdAmount: bigint('hold_amount', { mode: 'bigint' }).notNull(),
    cost: bigint('cost', { mode: 'bigint' }).notNull().default(sql`0`),
    /** Files written under DATA_DIR/outputs/<job id>/: name and media type, in order. */
    outputs: jsonb('outputs').$type<Array<{ file: string; mediaType: string; bytes: number }>>(),
    metrics: jsonb('metrics').$type<Record<string, number>>(),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    attempts: jsonb('attempts').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    webhookUrl: text('webhook_url'),
    /** Sealed with the master key; shown to the client once, at creation. */
    webhookSecret: text('webhook_secret'),
    webhookDeliveredAt: timestamp('webhook_delivered_at', { withTimezone: true }),
    cancelRequestedAt: timestamp('cancel_requested_at', { withTimezone: true }),
    /** A step in progress holds the job until then; a crashed step's lease simply runs out. */
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** Consecutive failed polls, for back-off; reset by a successful one. */
    pollFailures: integer('poll_failures').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    index('gateway_jobs_user_created_idx').on(table.userId, table.createdAt),
    index('gateway_jobs_unfinished_idx').on(table.status).where(sql`status IN ('queued', 'running')`),
    // Inputs stored before encryption, for the startup pass (see src/db/schema/studio.ts).
    index('gateway_jobs_legacy_idx').on(table.id).where(sql`input LIKE 'p0.%'`),
  ],
);
