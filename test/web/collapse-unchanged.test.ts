/**
 * Shortening a legal document's word diff for the comparison dialog (web/src/app/collapse-unchanged.ts):
 * long unchanged stretches keep only their ends, cut between words; changes and short stretches
 * are shown whole.
 */
import { describe, expect, it } from 'vitest';
import { collapseUnchanged } from '../../web/src/app/collapse-unchanged.js';

const words = (count: number, word: string) => Array.from({ length: count }, () => word).join(' ');

describe('collapsing the unchanged text of a diff', () => {
  it('keeps changes and unchanged runs of up to 600 characters as they are', () => {
    const parts = [
      { kind: 'same', text: 'a'.repeat(600) },
      { kind: 'removed', text: 'b'.repeat(5000) },
      { kind: 'added', text: 'new words' },
    ] as const;
    expect(collapseUnchanged(parts)).toEqual(parts);
  });

  it('shortens a long unchanged run to about its first and last 200 characters, between words', () => {
    const text = `${words(100, 'start')} ${words(100, 'middle')} ${words(100, 'final')}`;
    const [segment] = collapseUnchanged([{ kind: 'same', text }]);
    if (segment?.kind !== 'collapsed') throw new Error(`not collapsed: ${JSON.stringify(segment)}`);
    expect(segment.head.length).toBeLessThanOrEqual(200);
    expect(segment.head.length).toBeGreaterThan(150);
    expect(text.startsWith(segment.head)).toBe(true);
    expect(segment.head).toMatch(/^(start )+$/);
    expect(segment.tail.length).toBeLessThanOrEqual(200);
    expect(segment.tail.length).toBeGreaterThan(150);
    expect(text.endsWith(segment.tail)).toBe(true);
    expect(segment.tail).toMatch(/^( final)+$/);
    expect(`${segment.head}${segment.tail}`).not.toContain('middle');
  });

  it('cuts inside a word only when no space is near the cut', () => {
    const text = 'x'.repeat(1000);
    expect(collapseUnchanged([{ kind: 'same', text }])).toEqual([
      { kind: 'collapsed', head: 'x'.repeat(200), tail: 'x'.repeat(200) },
    ]);
  });

  it('keeps line breaks inside the kept ends', () => {
    const text = `Title\n\n${'line of text\n'.repeat(80)}`;
    const [segment] = collapseUnchanged([{ kind: 'same', text }]);
    expect(segment?.kind).toBe('collapsed');
    if (segment?.kind === 'collapsed') expect(segment.head.startsWith('Title\n\nline of text\n')).toBe(true);
  });
});
