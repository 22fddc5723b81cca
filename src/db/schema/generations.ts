import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { apiKeys, users } from './accounts.js';
import { organisations } from './organisations.js';

/**
 * One row per request through the gateway: who asked, which model and deployment answered, what it
 * used and what it cost. No prompt or output is stored here (content, when history is on, lives
 * with the studio's conversations, encrypted). Written in the same transaction as the settlement of
 * the request's hold, so every captured amount has its record.
 */
export const generations = pgTable(
  'generations',
  {
    /** `gen-` + 26 base32 characters; also the hold's idempotency key. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id),
    /** chat | embedding | image | speech | transcription | job */
    kind: text('kind').notNull(),
    /** openai | anthropic: the protocol the client spoke. */
    protocol: text('protocol').notNull(),
    /** The catalog id the client asked for first. */
    requestedModel: text('requested_model').notNull(),
    /** The catalog id that answered (a fallback model may differ). */
    model: text('model'),
    deploymentId: text('deployment_id'),
    provider: text('provider'),
    upstreamModel: text('upstream_model'),
    /** succeeded | failed | cancelled (the client left) | interrupted (the provider cut the stream) | empty */
    status: text('status').notNull(),
    streamed: boolean('streamed').notNull().default(false),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    cachedInputTokens: integer('cached_input_tokens').notNull().default(0),
    cacheWriteTokens: integer('cache_write_tokens').notNull().default(0),
    reasoningTokens: integer('reasoning_tokens').notNull().default(0),
    /** Counted by us with a tokenizer because the provider did not report usage. */
    usageEstimated: boolean('usage_estimated').notNull().default(false),
    /** Units other than tokens: images, characters, seconds. */
    units: jsonb('units').$type<Record<string, number>>(),
    /** Captured, in micros (0 when nothing was charged). */
    cost: bigint('cost', { mode: 'bigint' }).notNull().default(sql`0`),
    holdId: bigint('hold_id', { mode: 'number' }),
    errorCode: text('error_code'),
    /** Whole request, and to the first streamed token. */
    latencyMs: integer('latency_ms').notNull(),
    firstTokenMs: integer('first_token_ms'),
    /** Each try: deployment, outcome, status, ms — never content. */
    attempts: jsonb('attempts').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  },
  (table) => [
    index('generations_user_created_idx').on(table.userId, table.createdAt),
    index('generations_organisation_created_idx').on(table.organisationId, table.createdAt),
    index('generations_api_key_idx').on(table.apiKeyId),
  ],
);

/**
 * Every sub-processor that received a request's data (PP 7.2, 8): the deployment that answered and
 * any that were tried before it, with where they process and under which transfer safeguard.
 */
export const generationRecipients = pgTable(
  'generation_recipients',
  {
    generationId: text('generation_id')
      .notNull()
      .references(() => generations.id, { onDelete: 'cascade' }),
    deploymentId: text('deployment_id').notNull(),
    provider: text('provider').notNull(),
    region: text('region').notNull(),
    transferSafeguard: text('transfer_safeguard').notNull(),
    zeroRetention: boolean('zero_retention').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.generationId, table.deploymentId] })],
);
