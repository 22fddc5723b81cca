/**
 * Reads the shipped catalog (models.json beside this file) and, when the operator gives one, their
 * own catalog file in the same format: an entry with a shipped id replaces the shipped model whole,
 * `{ "id": ..., "disabled": true }` removes it, other entries are added after the shipped ones.
 * Bad data stops start-up with an error naming the file, the entry and the field.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Catalog } from './catalog.js';
import {
  type CatalogModel,
  type TCatalogModel,
  ZCatalogFile,
  ZCatalogModel,
  ZDisabledModel,
  ZMarkupPercent,
} from './catalog-schema.js';

export const SHIPPED_CATALOG_FILE = path.join(import.meta.dirname, 'models.json');

export class CatalogError extends Error {
  override name = 'CatalogError';
}

type Entry = { kind: 'model'; model: TCatalogModel } | { kind: 'disabled'; id: string };

export function loadCatalog(options: { file?: string; markupPercent: number }): Catalog {
  const markup = ZMarkupPercent.safeParse(options.markupPercent);
  if (!markup.success) {
    throw new CatalogError(
      `Invalid markup percent ${options.markupPercent}: ${markup.error.issues[0]!.message}`,
    );
  }
  const merged = new Map<string, TCatalogModel>();
  for (const entry of readCatalogFile(SHIPPED_CATALOG_FILE)) {
    if (entry.kind === 'model') merged.set(entry.model.id, entry.model);
  }
  if (options.file) {
    for (const entry of readCatalogFile(options.file)) {
      if (entry.kind === 'disabled') merged.delete(entry.id);
      else merged.set(entry.model.id, entry.model);
    }
  }
  const models = [...merged.values()].map(
    (model): CatalogModel => deepFreeze({ ...model, markupPercent: model.markupPercent ?? markup.data }),
  );
  checkNamesAreUnique(models, options.file ?? SHIPPED_CATALOG_FILE);
  return new Catalog(models);
}

/** Parses one catalog file; exported for the shipped-data test. */
export function readCatalogFile(file: string): Entry[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CatalogError(`Catalog ${file}: cannot read it as JSON: ${(error as Error).message}`);
  }
  const parsed = ZCatalogFile.safeParse(json);
  if (!parsed.success) {
    throw new CatalogError(`Catalog ${file}: ${describeIssue(parsed.error.issues[0]!)}`);
  }
  const seen = new Set<string>();
  return parsed.data.models.map((raw, index): Entry => {
    const label = entryLabel(raw, index);
    const disabled = ZDisabledModel.safeParse(raw);
    const entry: Entry = disabled.success
      ? { kind: 'disabled', id: disabled.data.id }
      : { kind: 'model', model: parseModel(raw, file, label) };
    const id = entry.kind === 'model' ? entry.model.id : entry.id;
    if (seen.has(id)) throw new CatalogError(`Catalog ${file}: ${label}: the id appears twice`);
    seen.add(id);
    return entry;
  });
}

function parseModel(raw: unknown, file: string, label: string): TCatalogModel {
  const parsed = ZCatalogModel.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new CatalogError(`Catalog ${file}: ${label}: ${describeIssue(parsed.error.issues[0]!)}`);
}

function entryLabel(raw: unknown, index: number): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? `model "${id}" (entry ${index + 1})` : `entry ${index + 1}`;
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  const field = issue.path.map(String).join('.');
  return field ? `${field}: ${issue.message}` : issue.message;
}

/** Ids and aliases are looked up case-insensitively, so no two may differ only in case. */
function checkNamesAreUnique(models: readonly CatalogModel[], file: string): void {
  const owner = new Map<string, string>();
  for (const model of models) {
    for (const name of [model.id, ...model.aliases]) {
      const key = name.toLowerCase();
      const other = owner.get(key);
      if (other !== undefined && other !== model.id) {
        throw new CatalogError(
          `Catalog ${file}: model "${model.id}": "${name}" is already used by "${other}"`,
        );
      }
      owner.set(key, model.id);
    }
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
