/**
 * A conversation is a tree: editing a message or regenerating an answer adds a sibling, and the
 * page shows one branch, from the root down to the active leaf.
 */
import type { StoredMessage } from '../../api/conversations';

export interface BranchMessage {
  message: StoredMessage;
  /** This message and its siblings (same parent, same role), oldest first. */
  siblings: StoredMessage[];
}

export function childrenOf(messages: readonly StoredMessage[], parentId: string | null): StoredMessage[] {
  return messages.filter((message) => message.parentId === parentId);
}

/** The newest leaf below `from` (following the newest child at each step). */
export function newestLeafBelow(messages: readonly StoredMessage[], from: StoredMessage): StoredMessage {
  let current = from;
  for (;;) {
    const children = childrenOf(messages, current.id);
    const newest = children.at(-1);
    if (!newest) return current;
    current = newest;
  }
}

/** Root-to-leaf path to `leafId` (or to the newest leaf when it is unknown). */
export function activeBranch(messages: readonly StoredMessage[], leafId: string | null): BranchMessage[] {
  if (messages.length === 0) return [];
  const byId = new Map(messages.map((message) => [message.id, message]));
  let leaf = leafId ? byId.get(leafId) : undefined;
  if (!leaf) {
    const root = childrenOf(messages, null).at(-1);
    if (!root) return [];
    leaf = newestLeafBelow(messages, root);
  }
  const path: StoredMessage[] = [];
  for (
    let node: StoredMessage | undefined = leaf;
    node;
    node = node.parentId ? byId.get(node.parentId) : undefined
  ) {
    path.unshift(node);
  }
  return path.map((message) => ({ message, siblings: childrenOf(messages, message.parentId) }));
}
