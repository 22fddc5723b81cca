/**
 * The catalogs by language. English is bundled, except the areas a page brings along in its own
 * chunk (messages/en/page-areas.ts), added here as that page loads; each other language is one
 * chunk, fetched the first time it is needed, so readers of English download no translations at all.
 */
import type { Language } from './languages';
import { type Catalog, en, type PartialCatalog } from './messages/en';
import type { PageArea } from './messages/en/page-areas';

const LOADERS: Record<Exclude<Language, 'en'>, () => Promise<Catalog>> = {
  de: async () => (await import('./messages/de')).de,
  fr: async () => (await import('./messages/fr')).fr,
  es: async () => (await import('./messages/es')).es,
};

/** Also the fallback of every other language; grows as pages add their areas. */
const english: PartialCatalog = { ...en };

const loaded = new Map<Language, PartialCatalog>([['en', english]]);
const loading = new Map<Language, Promise<PartialCatalog>>();

/**
 * Called by a page's module as it loads, before anything of the page renders:
 * `addEnglishArea('billing', billing)`. A translation already holds every area.
 */
export function addEnglishArea<A extends PageArea>(area: A, messages: Catalog[A]): void {
  english[area] = messages;
}

/** The English messages, the fallback for a gap in another language. */
export function englishCatalog(): PartialCatalog {
  return english;
}

/** The catalog when it is already here (English always is), for the first render without waiting. */
export function loadedCatalog(language: Language): PartialCatalog | undefined {
  return loaded.get(language);
}

/** Rejects when the chunk cannot be fetched (offline, or a new deployment removed it). */
export function loadCatalog(language: Language): Promise<PartialCatalog> {
  const ready = loaded.get(language);
  if (ready) return Promise.resolve(ready);
  let pending = loading.get(language);
  if (!pending) {
    pending = LOADERS[language as Exclude<Language, 'en'>]().then(
      (catalog) => {
        loaded.set(language, catalog);
        return catalog;
      },
      (error: unknown) => {
        // The next attempt (another switch, a reload) may succeed.
        loading.delete(language);
        throw error;
      },
    );
    loading.set(language, pending);
  }
  return pending;
}
