import { describe, expect, it } from 'vitest';
import { diffTexts } from './document-diff.js';

const join = (parts: ReturnType<typeof diffTexts>, keep: 'added' | 'removed') =>
  parts
    .filter((part) => part.kind === 'same' || part.kind === keep)
    .map((part) => part.text)
    .join('');

describe('diffTexts', () => {
  it('marks words removed and added, keeping the whitespace', () => {
    const before = 'You may cancel at any time.\n\nFees are due monthly.';
    const after = 'You may cancel within 14 days.\n\nFees are due monthly.\nRefunds take a week.';
    const parts = diffTexts(before, after);
    expect(join(parts, 'removed')).toBe(before);
    expect(join(parts, 'added')).toBe(after);
    expect(parts).toContainEqual({ kind: 'removed', text: 'at any time' });
    expect(parts).toContainEqual({ kind: 'added', text: 'within 14 days' });
  });

  it('merges neighbouring parts of the same kind and has no empty parts', () => {
    const parts = diffTexts('one two three', 'one four five three');
    for (const [index, part] of parts.entries()) {
      expect(part.text).not.toBe('');
      if (index > 0) expect(part.kind).not.toBe(parts[index - 1]!.kind);
    }
  });

  it('answers a single same part for identical texts', () => {
    expect(diffTexts('Same text.', 'Same text.')).toEqual([{ kind: 'same', text: 'Same text.' }]);
  });
});
