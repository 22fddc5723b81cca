/**
 * What changed between two versions of a legal document, word by word, for the banner and the
 * public changes page. The RENDERED bodies are compared: that is the text a reader accepted, with
 * the operator's details and the effective date filled in.
 */
import { diffWordsWithSpace } from 'diff';
import type { AppContext } from '../../app-context.js';
import { MixgateError } from '../../lib/errors.js';
import { getDocumentVersion, type LegalDocument } from './current-documents.js';
import type { TLegalDocumentType } from './legal-document-types.js';
import { renderTemplate } from './render-template.js';

export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

// Two very different 200 000-character texts can take the word diff seconds; past this the
// change is shown as the whole text replaced, which is true, only less precise.
const DIFF_TIMEOUT_MS = 500;

/** Word-level diff of two texts, whitespace kept, adjacent parts of the same kind merged. */
export function diffTexts(before: string, after: string): DiffPart[] {
  const changes = diffWordsWithSpace(before, after, { timeout: DIFF_TIMEOUT_MS });
  const parts: DiffPart[] = changes
    ? changes.map((change) => ({
        kind: change.added ? 'added' : change.removed ? 'removed' : 'same',
        text: change.value,
      }))
    : [
        { kind: 'removed', text: before },
        { kind: 'added', text: after },
      ];
  return groupChanges(parts.filter((part) => part.text.length > 0));
}

/**
 * The word diff alternates word by word ("at"→"within", " ", "any"→"14"…). A reader wants the
 * phrase: a space between two changes joins them, and each run of changes becomes the old words,
 * then the new ones. Removed plus same parts still spell the old text, added plus same the new.
 */
function groupChanges(parts: DiffPart[]): DiffPart[] {
  const grouped: DiffPart[] = [];
  let removed = '';
  let added = '';
  const flush = () => {
    if (removed) grouped.push({ kind: 'removed', text: removed });
    if (added) grouped.push({ kind: 'added', text: added });
    removed = '';
    added = '';
  };
  for (const [index, part] of parts.entries()) {
    const joinsChanges =
      part.kind === 'same' &&
      /^[^\S\n]+$/.test(part.text) &&
      (removed || added) &&
      parts[index + 1] !== undefined &&
      parts[index + 1]!.kind !== 'same';
    if (part.kind === 'removed' || joinsChanges) removed += part.text;
    if (part.kind === 'added' || joinsChanges) added += part.text;
    if (part.kind === 'same' && !joinsChanges) {
      flush();
      const last = grouped.at(-1);
      if (last?.kind === 'same') last.text += part.text;
      else grouped.push({ ...part });
    }
  }
  flush();
  return grouped;
}

// The banner asks for the same few diffs on every page load; rendering and diffing them again each
// time would cost a busy instance real CPU. Rows are never rewritten, so ids are a safe key.
const CACHE_SIZE = 32;
const cache = new Map<string, DiffPart[]>();

/** The diff from one stored version to another, both rendered as they are served. */
export function diffDocuments(ctx: AppContext, from: LegalDocument, to: LegalDocument): DiffPart[] {
  const key = `${from.id}:${to.id}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const render = (document: LegalDocument) =>
    renderTemplate(document.bodyMarkdown, ctx.config, document, ctx.gateway.deployments);
  const parts = diffTexts(render(from), render(to));
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key, parts);
  return parts;
}

export interface VersionDiff {
  from: LegalDocument;
  to: LegalDocument;
  diff: DiffPart[];
}

/**
 * The diff between two versions of `type`, both in `language` when both have it, otherwise both in
 * the authoritative language (a diff across two languages would show everything changed). 404 for
 * a version that does not exist.
 */
export async function diffVersions(
  ctx: AppContext,
  type: TLegalDocumentType,
  fromVersion: string,
  toVersion: string,
  language: string | undefined,
): Promise<VersionDiff> {
  const find = async (version: string, wanted: string | undefined) => {
    const document = await getDocumentVersion(ctx.db, type, version, wanted);
    if (!document) throw new MixgateError('not_found', `No version ${version} of the ${type} document`);
    return document;
  };
  let from = await find(fromVersion, language);
  let to = await find(toVersion, language);
  if (from.language !== to.language) {
    from = await find(fromVersion, undefined);
    to = await find(toVersion, undefined);
  }
  return { from, to, diff: diffDocuments(ctx, from, to) };
}
