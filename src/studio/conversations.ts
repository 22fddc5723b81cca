/**
 * A user's conversations: create, list and search, read, rename or switch branch, delete. Another
 * user's conversation answers exactly as a missing one does.
 */
import { randomUUID } from 'node:crypto';
import { and, desc, eq, exists, ilike, or, sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { conversationMessages, conversations } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { MixgateError } from '../lib/errors.js';
import { formatAmount } from '../lib/money.js';
import { allMessages, type MessageRow } from './conversation-tree.js';

export const DEFAULT_TITLE = 'New chat';

export type ConversationRow = typeof conversations.$inferSelect;

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
  db: Db,
  userId: string,
  input: { title?: string; model?: string },
  now: Date,
): Promise<ConversationRow> {
  const [row] = await db
    .insert(conversations)
    .values({
      id: randomUUID(),
      userId,
      title: input.title ?? DEFAULT_TITLE,
      model: input.model ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!;
}

/** The conversation, if it is `userId`'s; otherwise 404 whether or not it exists. */
export async function findConversation(
  db: DbOrTransaction,
  userId: string,
  id: string,
): Promise<ConversationRow> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.userId, userId)));
  if (!row) throw new MixgateError('not_found', `No conversation ${id}`);
  return row;
}

/** A page position: strictly older than this conversation (by last activity, then id). */
export interface ConversationCursor {
  updatedAt: Date;
  id?: string;
}

export function conversationCursor(row: ConversationRow): string {
  return `${row.updatedAt.toISOString()}_${row.id}`;
}

/** Newest activity first; `q` finds titles and message texts containing it, case-insensitively. */
export async function listConversations(
  db: Db,
  userId: string,
  query: { q?: string; limit: number; before?: ConversationCursor },
): Promise<{ conversations: ConversationRow[]; nextBefore: string | null }> {
  const { q, limit, before } = query;
  const conditions = [eq(conversations.userId, userId)];
  if (before) {
    const instant = before.updatedAt.toISOString();
    conditions.push(
      before.id
        ? sql`(${conversations.updatedAt}, ${conversations.id}) < (${instant}::timestamptz, ${before.id}::uuid)`
        : sql`${conversations.updatedAt} < ${instant}::timestamptz`,
    );
  }
  if (q) {
    const pattern = `%${escapeLike(q)}%`;
    conditions.push(
      or(
        ilike(conversations.title, pattern),
        exists(
          db
            .select({ one: sql`1` })
            .from(conversationMessages)
            .where(
              and(
                eq(conversationMessages.conversationId, conversations.id),
                sql`${conversationMessages.content}->>'text' ILIKE ${pattern}`,
              ),
            ),
        ),
      )!,
    );
  }
  const rows = await db
    .select()
    .from(conversations)
    .where(and(...conditions))
    .orderBy(desc(conversations.updatedAt), desc(conversations.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    conversations: page,
    nextBefore: rows.length > limit ? conversationCursor(page.at(-1)!) : null,
  };
}

/** `%`, `_` and the escape character itself match only themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export async function readConversation(db: Db, userId: string, id: string) {
  const conversation = await findConversation(db, userId, id);
  return { conversation, messages: await allMessages(db, id) };
}

/** Renames it, or shows the branch ending at `activeLeafId` (a message of this conversation). */
export async function updateConversation(
  db: Db,
  userId: string,
  id: string,
  changes: { title?: string; activeLeafId?: string },
): Promise<ConversationRow> {
  await findConversation(db, userId, id);
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
  const [row] = await db
    .update(conversations)
    .set(changes)
    .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
    .returning();
  if (!row) throw new MixgateError('not_found', `No conversation ${id}`);
  return row;
}

export async function deleteConversation(db: Db, userId: string, id: string): Promise<void> {
  const deleted = await db
    .delete(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.userId, userId)))
    .returning({ id: conversations.id });
  if (deleted.length === 0) throw new MixgateError('not_found', `No conversation ${id}`);
}
