/**
 * The languages the web app speaks: the same four codes as `users.language` on the server
 * (src/accounts/preferences.ts). Each is named in itself, so a reader finds their own language
 * whatever the page is currently shown in.
 */
export const LANGUAGES = [
  { code: 'en', name: 'English', locale: 'en-GB' },
  { code: 'de', name: 'Deutsch', locale: 'de-DE' },
  { code: 'fr', name: 'Français', locale: 'fr-FR' },
  { code: 'es', name: 'Español', locale: 'es-ES' },
] as const;

export type Language = (typeof LANGUAGES)[number]['code'];

/** English is the source language: bundled with the app and the fallback for anything missing. */
export const SOURCE_LANGUAGE: Language = 'en';

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.some((language) => language.code === value);
}

/** "de-AT" -> "de"; null for a language the app does not speak. */
export function languageOfTag(tag: string): Language | null {
  const base = tag.toLowerCase().split('-')[0];
  return isLanguage(base) ? base : null;
}

/**
 * The Intl locale for dates and numbers: the reader's own regional variant when the browser names
 * one of this language ("de-CH", "en-US"), else the language's usual one.
 */
export function intlLocale(language: Language, browserTags: readonly string[]): string {
  const regional = browserTags.find((tag) => languageOfTag(tag) === language);
  return regional ?? LANGUAGES.find((entry) => entry.code === language)!.locale;
}
