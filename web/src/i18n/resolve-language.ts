/**
 * Which language to show before the account's own preference is known (signed out, or while it
 * loads): the one last used in this browser, else the first of the browser's languages the app
 * speaks, else English.
 */
import { type Language, languageOfTag, SOURCE_LANGUAGE } from './languages';

/** Also written when a signed-in user's preference arrives, so the next visit starts in it. */
const STORAGE_KEY = 'mg_language';

export function storedLanguage(): Language | null {
  try {
    return languageOfTag(localStorage.getItem(STORAGE_KEY) ?? '');
  } catch {
    // Storage refused (privacy mode, a sandboxed frame): the browser's languages still decide.
    return null;
  }
}

export function rememberLanguage(language: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered: the next visit falls back to the browser's languages.
  }
}

export function browserTags(): readonly string[] {
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

export function browserLanguage(): Language | null {
  for (const tag of browserTags()) {
    const language = languageOfTag(tag);
    if (language) return language;
  }
  return null;
}

export function initialLanguage(): Language {
  return storedLanguage() ?? browserLanguage() ?? SOURCE_LANGUAGE;
}
