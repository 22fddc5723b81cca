import { describe, expect, it } from 'vitest';
import { inTreeOrder } from './conversation-tree.js';

const node = (id: string, parentId: string | null) => ({ id, parentId });

describe('tree order', () => {
  it('keeps the time order when parents come first', () => {
    const messages = [node('a', null), node('b', 'a'), node('c', 'b'), node('d', 'a')];
    expect(inTreeOrder(messages).map((message) => message.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('puts a child that shares its parent’s timestamp (and sorted first) right after it', () => {
    const messages = [
      node('answer', 'question'),
      node('x', null),
      node('question', 'x'),
      node('later', 'answer'),
    ];
    expect(inTreeOrder(messages).map((message) => message.id)).toEqual(['x', 'question', 'answer', 'later']);
  });

  it('keeps a message whose parent is not in the list', () => {
    expect(inTreeOrder([node('orphan', 'gone'), node('a', null)]).map((message) => message.id)).toEqual([
      'orphan',
      'a',
    ]);
  });
});
