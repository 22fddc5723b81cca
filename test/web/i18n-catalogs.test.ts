/**
 * The web app's message catalogs (web/src/i18n/messages): every language has exactly the English
 * keys, no empty message, and the same `{placeholders}` in each message, so no reader ever meets a
 * raw key, a blank, or a sentence missing the name or amount it should carry. English counts both
 * its bundled areas and those that ship with their page (messages/en/page-areas.ts).
 */
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../web/src/i18n/languages.js';
import { de } from '../../web/src/i18n/messages/de/index.js';
import { type Catalog, en } from '../../web/src/i18n/messages/en/index.js';
import { pageAreas } from '../../web/src/i18n/messages/en/page-areas.js';
import { es } from '../../web/src/i18n/messages/es/index.js';
import { fr } from '../../web/src/i18n/messages/fr/index.js';

const TRANSLATIONS: Record<string, Catalog> = { de, fr, es };

/** "area.key" -> message, for every message of a catalog. */
function flatten(catalog: Catalog): Map<string, string> {
  const messages = new Map<string, string>();
  for (const [area, entries] of Object.entries(catalog)) {
    for (const [key, message] of Object.entries(entries as Record<string, unknown>)) {
      messages.set(`${area}.${key}`, String(message));
    }
  }
  return messages;
}

function placeholders(message: string): string {
  return [...new Set([...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!))].sort().join(', ');
}

/** What is wrong with a translation, measured against the English source; empty when nothing. */
function problemsOf(translation: Map<string, string>, source: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const key of source.keys()) if (!translation.has(key)) problems.push(`missing ${key}`);
  for (const [key, message] of translation) {
    const original = source.get(key);
    if (original === undefined) problems.push(`not in English: ${key}`);
    else if (message.trim() === '') problems.push(`empty ${key}`);
    else if (placeholders(message) !== placeholders(original)) {
      problems.push(`${key} has {${placeholders(message)}} instead of {${placeholders(original)}}`);
    }
  }
  return problems;
}

const allEnglish: Catalog = { ...en, ...pageAreas };
const english = flatten(allEnglish);

describe('the web app’s message catalogs', () => {
  it('has a catalog for every language the app offers, English being the source', () => {
    expect(LANGUAGES.map((language) => language.code).sort()).toEqual(
      ['en', ...Object.keys(TRANSLATIONS)].sort(),
    );
    expect(english.size).toBeGreaterThan(300);
  });

  it('keeps each English area in one place: bundled with the app, or shipped with its page', () => {
    expect(Object.keys(en).filter((area) => area in pageAreas)).toEqual([]);
  });

  it('has no empty English message, and every plural form has its _other beside it', () => {
    expect([...english].filter(([, message]) => message.trim() === '').map(([key]) => key)).toEqual([]);
    const plurals = [...english.keys()].filter((key) => /_(zero|one|two|few|many)$/.test(key));
    expect(plurals.length).toBeGreaterThan(0);
    expect(plurals.filter((key) => !english.has(key.replace(/_\w+$/, '_other')))).toEqual([]);
  });

  for (const [language, catalog] of Object.entries(TRANSLATIONS)) {
    it(`${language}: exactly the English keys, none empty, the same placeholders in each`, () => {
      expect(Object.keys(catalog).sort()).toEqual(Object.keys(allEnglish).sort());
      expect(problemsOf(flatten(catalog), english)).toEqual([]);
    });
  }

  it('reports a missing key, an extra key, an empty message and a lost placeholder', () => {
    const broken = flatten(de);
    broken.delete('chat.stop');
    broken.set('chat.stopp', 'Stopp');
    broken.set('chat.send', '  ');
    broken.set('chat.removeAttachment', 'Entfernen');
    expect(problemsOf(broken, english)).toEqual([
      'missing chat.stop',
      'chat.removeAttachment has {} instead of {name}',
      'empty chat.send',
      'not in English: chat.stopp',
    ]);
  });
});
