/**
 * The language on screen, for what happens outside React's tree: money amounts formatted in plain
 * functions (`components/money.ts`) and the API client's own error messages (`api/client.ts`). The
 * i18n provider sets both before it renders a new language, so every render reads the locale of
 * the words around it.
 */
import { intlLocale, SOURCE_LANGUAGE } from './languages';
import { en } from './messages/en';
import { browserTags } from './resolve-language';
import { createTranslate, type MessageKey, type Params, type Translate } from './translate';

let locale = intlLocale(SOURCE_LANGUAGE, browserTags());
let translate: Translate = createTranslate(en, en, locale);

export function activeLocale(): string {
  return locale;
}

export function setActiveLocale(next: string, nextTranslate: Translate): void {
  locale = next;
  translate = nextTranslate;
}

/** `t` in the language on screen, for a message made outside a component. */
export function translateNow(key: MessageKey, params?: Params): string {
  return translate(key, params);
}
