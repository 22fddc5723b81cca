/**
 * The web app's translations: `useT()` gives `t('area.key', { name: 'value' })`; `useI18n()` also
 * gives `rich` (elements such as links as parameters), the locale, and date formatting.
 *
 * Messages live in `messages/<language>/<area>.ts`, one file per area of the app. English
 * (`messages/en`) is the source: its objects define the keys, and every other language is typed
 * against them, so a missing, extra or misspelt key fails `npm run typecheck`.
 *
 * Adding an area (e.g. billing):
 *   1. `messages/en/billing.ts`: `export const billing = { title: 'Billing', … };`, and add
 *      `billing` either to the object in `messages/en/index.ts` (bundled: the app's shell and the
 *      pages most visits open) or to `messages/en/page-areas.ts` (shipped in its page's chunk, so
 *      the chat page's first load does not carry it; the page's module then calls
 *      `addEnglishArea('billing', billing)` at its top, before anything of it renders);
 *   2. `messages/{de,fr,es}/billing.ts`: `export const billing: Catalog['billing'] = { … };`,
 *      and add it to each language's `index.ts` (typecheck lists whatever is missing);
 *   3. in the components: `const t = useT();` then `t('billing.title')`.
 * Imports inside `messages/` end in `.js`: the Node tests read the catalogs too.
 * Plurals: `name_one` / `name_other`, used as `t('area.name', { count })`; a CLDR category a
 * language has beyond these (French "many") falls back to `_other`. Dates: `useI18n().formatDate`;
 * money: `components/money.ts` already writes the active locale's separators.
 * test/web/i18n-catalogs.test.ts checks that every language has exactly the English keys, no
 * empty message, and the same `{placeholders}`.
 */
export { type I18n, I18nProvider, useI18n, useT } from './i18n-provider';
export { LANGUAGES, type Language } from './languages';
export { addEnglishArea } from './load-catalog';
export type { MessageKey, Translate } from './translate';
