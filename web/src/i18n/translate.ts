/**
 * Looking a message up and filling it in. Keys are "area.name" and typed from the English
 * catalog, so a misspelt key fails `tsc -p web`. A message that counts has `_one`/`_other` (and
 * any other CLDR category a language needs) beside its base name; `{count}` picks the form through
 * Intl.PluralRules. `{name}` placeholders are filled from the parameters, numbers in the locale.
 * Free of React and the DOM (imports with `.js`): test/web/i18n-translate.test.ts runs it in Node.
 */
import { formatNumber } from './format.js';
import type { Catalog, PartialCatalog } from './messages/en/index.js';

type Area = keyof Catalog;
type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other';
type BaseName<Name extends string> = Name extends `${infer Base}_${PluralCategory}` ? Base : Name;

export type MessageKey = { [A in Area]: `${A}.${BaseName<Extract<keyof Catalog[A], string>>}` }[Area];
export type Params = Readonly<Record<string, string | number>>;
export type Translate = (key: MessageKey, params?: Params) => string;

export const PLACEHOLDER = /\{(\w+)\}/g;
const pluralRules = new Map<string, Intl.PluralRules>();

function pluralCategory(count: number, locale: string): string {
  let rules = pluralRules.get(locale);
  if (!rules) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(count);
}

function lookup(catalog: PartialCatalog, key: string, count: unknown, locale: string): string | undefined {
  const dot = key.indexOf('.');
  const messages = catalog[key.slice(0, dot) as Area] as Record<string, string> | undefined;
  if (!messages) return undefined;
  const name = key.slice(dot + 1);
  if (typeof count === 'number') {
    const plural = messages[`${name}_${pluralCategory(count, locale)}`] ?? messages[`${name}_other`];
    if (plural !== undefined) return plural;
  }
  return messages[name];
}

/**
 * The unfilled message: from `catalog` (the language shown), else from `fallback` (English), else
 * the key itself, so a gap shows as a readable key rather than as nothing.
 */
export function messageTemplate(
  catalog: PartialCatalog,
  fallback: PartialCatalog,
  locale: string,
  key: string,
  count: unknown,
): string {
  return lookup(catalog, key, count, locale) ?? lookup(fallback, key, count, locale) ?? key;
}

/** A parameter as shown: numbers in the locale ("1.234" in German), text as it is. */
export function shownValue(value: string | number, locale: string): string {
  return typeof value === 'number' ? formatNumber(value, locale) : value;
}

export function createTranslate(
  catalog: PartialCatalog,
  fallback: PartialCatalog,
  locale: string,
): Translate {
  return (key, params = {}) =>
    messageTemplate(catalog, fallback, locale, key, params.count).replace(
      PLACEHOLDER,
      (placeholder, name: string) => {
        const value = params[name];
        return value === undefined ? placeholder : shownValue(value, locale);
      },
    );
}
