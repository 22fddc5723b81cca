import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { gatewayJobs } from './gateway-jobs.js';
import type { Sealed } from './user-data-keys.js';

export type StoredAttachment =
  | { kind: 'image'; name: string; mediaType: string; dataUrl: string }
  | { kind: 'file'; name: string; mediaType: string; text: string };

/** What a message says; checked by src/studio/message-content.ts before it is stored. */
export interface StoredMessageContent {
  text: string;
  attachments?: StoredAttachment[];
}

/*
 * Content columns hold Sealed values (src/privacy/content-cipher.ts), each bound to its table,
 * column and row id. A partial index per table finds what migration 0011 marked as stored before
 * encryption, for the startup pass that seals it (src/privacy/content-legacy.ts); once that is
 * done the index is empty.
 */

/**
 * The web app's chats (src/studio). A conversation is a tree of messages: editing a message or
 * regenerating an answer adds a sibling branch, and `active_leaf_id` says which branch is shown.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    title: text('title').$type<Sealed<string>>().notNull(),
    /** The catalog model used last, offered again for the next turn. */
    model: text('model'),
    /**
     * The last message of the branch shown. No foreign key: it would make the message rows and the
     * conversation reference each other, and a message only ever leaves with its conversation.
     */
    activeLeafId: uuid('active_leaf_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('conversations_user_updated_idx').on(table.userId, table.updatedAt.desc()),
    index('conversations_legacy_idx').on(table.id).where(sql`title LIKE 'p0.%'`),
  ],
);

export const conversationMessages = pgTable(
  'conversation_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    /** Null for a first message (there may be several: an edited first message is a new root). */
    parentId: uuid('parent_id').references((): AnyPgColumn => conversationMessages.id, {
      onDelete: 'cascade',
    }),
    /** user | assistant */
    role: text('role').notNull(),
    /** The message's text, sealed apart from its attachments so a search opens only texts. */
    content: text('content').$type<Sealed<string>>().notNull(),
    /** Images and files attached to a user's message; null when there are none. */
    attachments: text('attachments').$type<Sealed<StoredAttachment[]>>(),
    /** The catalog model that answered (assistant messages). */
    model: text('model'),
    /**
     * The gateway's `gen-…` id. No foreign key: generation rows are group-committed after the
     * answer, and this row must neither wait for nor lock them.
     */
    generationId: text('generation_id'),
    /** Captured for the answer, in micros. */
    cost: bigint('cost', { mode: 'bigint' }),
    /** complete | cancelled (the client left) | interrupted (the provider broke off) | failed (no answer) */
    status: text('status').notNull(),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * Insertion order: two versions of an answer may carry the same timestamp (one clock tick, or
     * a test's fixed clock), and "1/2" must still mean the older one.
     */
    sequence: bigint('sequence', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  },
  (table) => [
    index('conversation_messages_conversation_sequence_idx').on(table.conversationId, table.sequence),
    index('conversation_messages_legacy_idx').on(table.id).where(sql`content LIKE 'p0.%'`),
  ],
);

/** "Report this output": a user's report of a generation's answer, for the support staff. */
export const outputReports = pgTable(
  'output_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    generationId: text('generation_id').notNull(),
    /** illegal | harmful | inaccurate | privacy | other */
    reason: text('reason').notNull(),
    details: text('details').$type<Sealed<string>>(),
    /** open, until the staff side handles it. */
    status: text('status').notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('output_reports_user_idx').on(table.userId),
    index('output_reports_legacy_idx').on(table.id).where(sql`details LIKE 'p0.%'`),
  ],
);

/** One file of a studio output, under DATA_DIR/studio/<user id>/ (src/studio/output-files.ts). */
export interface StoredStudioFile {
  file: string;
  mediaType: string;
  bytes: number;
}

/**
 * The studio's gallery: images, speech, video and music the user generated in the web app. A
 * request answered at once keeps its files here; a long one is a gateway job, whose row says how
 * far it is and whose folder holds its files.
 */
export const studioOutputs = pgTable(
  'studio_outputs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    /** image | speech | video | music */
    kind: text('kind').notNull(),
    /** The catalog model asked for. */
    model: text('model').notNull(),
    /** What was asked for (the prompt, or the text spoken), at most 4,000 characters of it. */
    prompt: text('prompt').$type<Sealed<string>>().notNull(),
    /** The gateway's `gen-…` id. No foreign key, as in conversation_messages. */
    generationId: text('generation_id'),
    jobId: text('job_id').references(() => gatewayJobs.id),
    /** The files of an output answered at once; a job's files are the job's. */
    files: jsonb('files').$type<StoredStudioFile[]>().notNull().default(sql`'[]'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Insertion order, newest last, whatever the clock says (as conversation_messages.sequence). */
    sequence: bigint('sequence', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
  },
  (table) => [
    index('studio_outputs_user_sequence_idx').on(table.userId, table.sequence.desc()),
    index('studio_outputs_legacy_idx').on(table.id).where(sql`prompt LIKE 'p0.%'`),
  ],
);
