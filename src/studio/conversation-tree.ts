/**
 * A conversation is a tree of messages. These read it: every message in the order it was written,
 * and one branch, from its first message down to a given one; opened with the owner's data key.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { conversationMessages } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { type MessageRow, openMessage, type SealedMessageRow } from './conversation-content.js';

export type { MessageRow } from './conversation-content.js';

interface TreeNode {
  id: string;
  parentId: string | null;
}

/**
 * Oldest first, and a parent always before its children: a message and its answer can share a
 * timestamp (an answer refused at once), so time alone does not order them.
 */
export function inTreeOrder<T extends TreeNode>(oldestFirst: readonly T[]): T[] {
  const ids = new Set(oldestFirst.map((message) => message.id));
  const placed = new Set<string>();
  const waiting = new Map<string, T[]>();
  const ordered: T[] = [];
  const place = (message: T) => {
    ordered.push(message);
    placed.add(message.id);
    for (const child of waiting.get(message.id) ?? []) place(child);
    waiting.delete(message.id);
  };
  for (const message of oldestFirst) {
    const parentId = message.parentId;
    if (parentId === null || placed.has(parentId) || !ids.has(parentId)) place(message);
    else waiting.set(parentId, [...(waiting.get(parentId) ?? []), message]);
  }
  return ordered;
}

/** Every message of the conversation, oldest first (see inTreeOrder). */
export async function allMessages(
  db: DbOrTransaction,
  key: Buffer,
  conversationId: string,
): Promise<MessageRow[]> {
  const rows = await db
    .select()
    .from(conversationMessages)
    .where(eq(conversationMessages.conversationId, conversationId))
    .orderBy(asc(conversationMessages.sequence));
  return inTreeOrder(rows).map((row) => openMessage(key, row));
}

/** The branch from its first message down to `leafId`, in that order; empty when there is no such message. */
export async function branchTo(
  db: DbOrTransaction,
  key: Buffer,
  conversationId: string,
  leafId: string,
): Promise<MessageRow[]> {
  const rows = await db
    .select()
    .from(conversationMessages)
    .where(
      and(
        eq(conversationMessages.conversationId, conversationId),
        inArray(
          conversationMessages.id,
          sql`(WITH RECURSIVE branch (id, parent_id) AS (
                 SELECT id, parent_id FROM conversation_messages
                  WHERE id = ${leafId} AND conversation_id = ${conversationId}
                 UNION ALL
                 SELECT parent.id, parent.parent_id FROM conversation_messages parent
                   JOIN branch ON parent.id = branch.parent_id
               ) SELECT id FROM branch)`,
        ),
      ),
    );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const branch: SealedMessageRow[] = [];
  for (
    let message = byId.get(leafId);
    message;
    message = message.parentId ? byId.get(message.parentId) : undefined
  ) {
    branch.push(message);
  }
  return branch.reverse().map((row) => openMessage(key, row));
}
