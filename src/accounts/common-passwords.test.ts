import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const lines = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8').split('\n');
const entries = lines.filter((line) => line.length > 0);

describe('common-passwords.txt', () => {
  it('holds exactly 1,000 unique entries, one per line, with nothing else', () => {
    expect(entries).toHaveLength(1000);
    expect(new Set(entries).size).toBe(1000);
    expect(lines).toEqual([...entries, '']);
  });

  it('is lower-case with no surrounding whitespace', () => {
    for (const entry of entries) {
      expect(entry).toBe(entry.toLowerCase().trim());
    }
  });

  it('is ordered by frequency, the most common first', () => {
    expect(entries.slice(0, 4)).toEqual(['123456', 'password', '12345678', 'qwerty']);
  });
});
