/**
 * Shortening a word diff for reading: a long unchanged stretch between two changes shows only its
 * first and last few lines' worth, so a reader sees each change in its context without scrolling
 * through pages of identical text. Free of React and the DOM: test/web/collapse-unchanged.test.ts
 * runs it in Node, which is why it declares the diff's shape itself instead of importing the API's.
 */

/** One run of a word diff, as GET /api/legal/announcements gives it. */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

export type DiffSegment =
  | DiffPart
  /** An unchanged run with its middle left out. */
  | { kind: 'collapsed'; head: string; tail: string };

export interface CollapseOptions {
  /** Unchanged runs longer than this are shortened. */
  longerThan: number;
  /** About how many characters are kept at each end (cut at a space when one is near). */
  keep: number;
}

const DEFAULTS: CollapseOptions = { longerThan: 600, keep: 200 };

export function collapseUnchanged(
  parts: readonly DiffPart[],
  { longerThan, keep }: CollapseOptions = DEFAULTS,
): DiffSegment[] {
  return parts.map((part) =>
    part.kind === 'same' && part.text.length > Math.max(longerThan, 2 * keep)
      ? { kind: 'collapsed', head: headOf(part.text, keep), tail: tailOf(part.text, keep) }
      : part,
  );
}

/** The first `keep` characters, ending after a whole word when a space is in its second half. */
function headOf(text: string, keep: number): string {
  const slice = text.slice(0, keep);
  const lastSpace = slice.search(/\s\S*$/);
  return lastSpace > keep / 2 ? slice.slice(0, lastSpace + 1) : slice;
}

/** The last `keep` characters, starting at a whole word when a space is in their first half. */
function tailOf(text: string, keep: number): string {
  const slice = text.slice(-keep);
  const firstSpace = slice.search(/\s/);
  return firstSpace >= 0 && firstSpace < keep / 2 ? slice.slice(firstSpace) : slice;
}
