/**
 * A user's conversations: create, list and search, read, rename or switch branch, delete. Another
 * user's conversation answers exactly as a missing one does. Titles and messages are sealed with
 * the owner's data key (conversation-content.ts), so a search opens them here, newest first.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { conversationMessages, conversations } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { MixgateError } from '../lib/errors.js';
import { formatAmount } from '../lib/money.js';
import { dataKeyFor, type KeyContext } from '../privacy/content-keys.js';
import {
  type ConversationRow,
  openConversation,
  openMessageText,
  type SealedConversationRow,
  sealTitle,
} from './conversation-content.js';
import { allMessages, type MessageRow } from './conversation-tree.js';

export type { ConversationRow } from './conversation-content.js';

export const DEFAULT_TITLE = 'New chat';

export function conversationView(row: ConversationRow) {
  return {
    id: row.id,
    title: row.title,
    model: row.model,
    activeLeafId: row.activeLeafId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** As listed: without the branch shown. */
export function conversationSummary(row: ConversationRow) {
  const { activeLeafId: _, ...summary } = conversationView(row);
  return summary;
}

export function messageView(row: MessageRow) {
  return {
    id: row.id,
    parentId: row.parentId,
    role: row.role as 'user' | 'assistant',
    content: row.content,
    model: row.model,
    generationId: row.generationId,
    cost: row.cost === null ? null : formatAmount(row.cost),
    status: row.status as 'complete' | 'cancelled' | 'interrupted' | 'failed',
    error: row.error,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function createConversation(
  ctx: KeyContext,
  userId: string,
  input: { title?: string; model?: string },
  now: Date,
): Promise<ConversationRow> {
  const key = await dataKeyFor(ctx, userId);
  const id = randomUUID();
  const [row] = await ctx.db
    .insert(conversations)
    .values({
      id,
      userId,
      title: sealTitle(key, id, input.title ?? DEFAULT_TITLE),
      model: input.model ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return openConversation(key, row!);
}

/** The conversation, if it is `userId`'s; otherwise 404 whether or not it exists. */
export async function findConversation(
  db: DbOrTransaction,
  key: Buffer,
  userId: string,
  id: string,
): Promise<ConversationRow> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.userId, userId)));
  if (!row) throw new MixgateError('not_found', `No conversation ${id}`);
  return openConversation(key, row);
}

/** A page position: strictly older than this conversation (by last activity, then id). */
export interface ConversationCursor {
  updatedAt: Date;
  id?: string;
}

export function conversationCursor(row: Pick<ConversationRow, 'updatedAt' | 'id'>): string {
  return `${row.updatedAt.toISOString()}_${row.id}`;
}

/** Conversations opened for one search page, at most: the page ends there, and nextBefore goes on. */
export const SEARCH_SCAN_LIMIT = 2_000;
const SEARCH_BATCH = 100;

/**
 * Newest activity first; `q` finds titles and message texts containing it, case-insensitively.
 * Titles and texts are sealed, so a search opens them in batches of the newest conversations
 * until the page is full, or until SEARCH_SCAN_LIMIT conversations were opened: then the page may
 * be short, and nextBefore continues after the last one looked at.
 */
export async function listConversations(
  ctx: KeyContext,
  userId: string,
  query: { q?: string; limit: number; before?: ConversationCursor; scanLimit?: number },
): Promise<{ conversations: ConversationRow[]; nextBefore: string | null }> {
  const { q, limit, before } = query;
  if (q) return searchConversations(ctx, userId, q, limit, before, query.scanLimit ?? SEARCH_SCAN_LIMIT);
  const rows = await newestConversations(ctx.db, userId, before, limit + 1);
  const page = rows.slice(0, limit);
  const key = page.length > 0 ? await dataKeyFor(ctx, userId) : undefined;
  return {
    conversations: page.map((row) => openConversation(key!, row)),
    nextBefore: rows.length > limit ? conversationCursor(page.at(-1)!) : null,
  };
}

async function newestConversations(
  db: DbOrTransaction,
  userId: string,
  before: ConversationCursor | undefined,
  count: number,
): Promise<SealedConversationRow[]> {
  const conditions: SQL[] = [eq(conversations.userId, userId)];
  if (before) {
    const instant = before.updatedAt.toISOString();
    conditions.push(
      before.id
        ? sql`(${conversations.updatedAt}, ${conversations.id}) < (${instant}::timestamptz, ${before.id}::uuid)`
        : sql`${conversations.updatedAt} < ${instant}::timestamptz`,
    );
  }
  return db
    .select()
    .from(conversations)
    .where(and(...conditions))
    .orderBy(desc(conversations.updatedAt), desc(conversations.id))
    .limit(count);
}

async function searchConversations(
  ctx: KeyContext,
  userId: string,
  q: string,
  limit: number,
  before: ConversationCursor | undefined,
  scanLimit: number,
): Promise<{ conversations: ConversationRow[]; nextBefore: string | null }> {
  const needle = q.toLowerCase();
  const contains = (text: string) => text.toLowerCase().includes(needle);
  const found: ConversationRow[] = [];
  let cursor = before;
  let scanned = 0;
  let key: Buffer | undefined;
  for (;;) {
    const batch = await newestConversations(ctx.db, userId, cursor, SEARCH_BATCH);
    if (batch.length === 0) return { conversations: found, nextBefore: null };
    key ??= await dataKeyFor(ctx, userId);
    const opened = batch.map((row) => openConversation(key!, row));
    const byText = await withMatchingText(
      ctx.db,
      key,
      opened.filter((row) => !contains(row.title)).map((row) => row.id),
      contains,
    );
    for (const row of opened) {
      scanned += 1;
      if (contains(row.title) || byText.has(row.id)) {
        // One match beyond the page proves there is a next page.
        if (found.length === limit)
          return { conversations: found, nextBefore: conversationCursor(found.at(-1)!) };
        found.push(row);
      }
      if (scanned >= scanLimit) return { conversations: found, nextBefore: conversationCursor(row) };
    }
    if (batch.length < SEARCH_BATCH) return { conversations: found, nextBefore: null };
    cursor = { updatedAt: batch.at(-1)!.updatedAt, id: batch.at(-1)!.id };
  }
}

/** Which of these conversations have a message whose text `contains` says yes to (texts only, never attachments). */
async function withMatchingText(
  db: DbOrTransaction,
  key: Buffer,
  conversationIds: string[],
  contains: (text: string) => boolean,
): Promise<Set<string>> {
  const matching = new Set<string>();
  if (conversationIds.length === 0) return matching;
  const messages = await db
    .select({
      id: conversationMessages.id,
      conversationId: conversationMessages.conversationId,
      content: conversationMessages.content,
    })
    .from(conversationMessages)
    .where(inArray(conversationMessages.conversationId, conversationIds));
  for (const message of messages) {
    if (matching.has(message.conversationId)) continue;
    if (contains(openMessageText(key, message))) matching.add(message.conversationId);
  }
  return matching;
}

export async function readConversation(ctx: KeyContext, userId: string, id: string) {
  const key = await dataKeyFor(ctx, userId);
  const conversation = await findConversation(ctx.db, key, userId, id);
  return { conversation, messages: await allMessages(ctx.db, key, id) };
}

/** Renames it, or shows the branch ending at `activeLeafId` (a message of this conversation). */
export async function updateConversation(
  ctx: KeyContext,
  userId: string,
  id: string,
  changes: { title?: string; activeLeafId?: string },
): Promise<ConversationRow> {
  const { db } = ctx;
  const key = await dataKeyFor(ctx, userId);
  await findConversation(db, key, userId, id);
  if (changes.activeLeafId !== undefined) {
    const [leaf] = await db
      .select({ id: conversationMessages.id })
      .from(conversationMessages)
      .where(
        and(eq(conversationMessages.id, changes.activeLeafId), eq(conversationMessages.conversationId, id)),
      );
    if (!leaf) {
      throw new MixgateError(
        'invalid_request',
        `activeLeafId: ${changes.activeLeafId} is not a message of this conversation`,
      );
    }
  }
  const { title, activeLeafId } = changes;
  const [row] = await db
    .update(conversations)
    .set({
      ...(title === undefined ? {} : { title: sealTitle(key, id, title) }),
      ...(activeLeafId === undefined ? {} : { activeLeafId }),
    })
    .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
    .returning();
  if (!row) throw new MixgateError('not_found', `No conversation ${id}`);
  return openConversation(key, row);
}

export async function deleteConversation(db: Db, userId: string, id: string): Promise<void> {
  const deleted = await db
    .delete(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
    .returning({ id: conversations.id });
  if (deleted.length === 0) throw new MixgateError('not_found', `No conversation ${id}`);
}
