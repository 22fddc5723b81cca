/**
 * The language on screen, for every component below: the signed-in account's preference; before
 * sign-in (or while the preference loads) the one this browser last used, then the browser's own
 * languages, then English. A new language is shown once its catalog has arrived, without a reload;
 * `<html lang>` follows it, for screen readers, hyphenation and the browser's translate offer.
 */
import { useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { preferencesQuery } from '../api/preferences';
import { useSession } from '../api/session';
import { setActiveLocale } from './active-locale';
import { formatDate, formatDateTime } from './format';
import { intlLocale, type Language, SOURCE_LANGUAGE } from './languages';
import { englishCatalog, loadCatalog, loadedCatalog } from './load-catalog';
import type { PartialCatalog } from './messages/en';
import { browserTags, initialLanguage, rememberLanguage } from './resolve-language';
import { createRich, type RichTranslate } from './rich';
import { createTranslate, type Translate } from './translate';

export interface I18n {
  t: Translate;
  /** Like `t`, with elements (links, bold text) as parameters: for sentences that hold them. */
  rich: RichTranslate;
  language: Language;
  /** The Intl locale for dates and numbers ("de-DE", or the reader's own "de-CH"). */
  locale: string;
  formatDate(value: string | Date): string;
  formatDateTime(value: string | Date): string;
  /**
   * Picks the language in this browser. Signed in, the account's preference still decides: it is
   * changed in Settings, and this is for the signed-out pages.
   */
  chooseLanguage(language: Language): void;
}

function i18nFor(
  language: Language,
  catalog: PartialCatalog,
  chooseLanguage: (language: Language) => void,
): I18n {
  const locale = intlLocale(language, browserTags());
  return {
    language,
    locale,
    t: createTranslate(catalog, englishCatalog(), locale),
    rich: createRich(catalog, englishCatalog(), locale),
    formatDate: (value) => formatDate(value, locale),
    formatDateTime: (value) => formatDateTime(value, locale),
    chooseLanguage,
  };
}

// Outside a provider (a component rendered on its own): English, as before translations existed.
const I18nContext = createContext<I18n>(i18nFor(SOURCE_LANGUAGE, englishCatalog(), () => {}));

interface Shown {
  language: Language;
  catalog: PartialCatalog;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const session = useSession();
  const signedIn = Boolean(session.data);
  const preferences = useQuery({ ...preferencesQuery, enabled: signedIn });
  const [chosen, setChosen] = useState(initialLanguage);
  const preferred = signedIn ? preferences.data?.language : undefined;
  const wanted = preferred ?? chosen;
  const [shown, setShown] = useState<Shown | null>(() => {
    const catalog = loadedCatalog(chosen);
    return catalog ? { language: chosen, catalog } : null;
  });

  // The account's choice becomes this browser's: the next visit, even signed out, starts in it.
  useEffect(() => {
    if (!preferred) return;
    rememberLanguage(preferred);
    setChosen(preferred);
  }, [preferred]);

  useEffect(() => {
    if (shown?.language === wanted) return;
    let current = true;
    loadCatalog(wanted).then(
      (catalog) => {
        if (current) setShown({ language: wanted, catalog });
      },
      () => {
        // Keep the language on screen; with none yet (the very first one failed), English.
        if (current) {
          setShown((previous) => previous ?? { language: SOURCE_LANGUAGE, catalog: englishCatalog() });
        }
      },
    );
    return () => {
      current = false;
    };
  }, [wanted, shown?.language]);

  const chooseLanguage = useCallback((language: Language) => {
    rememberLanguage(language);
    setChosen(language);
  }, []);

  const value = useMemo(() => {
    if (!shown) return null;
    const i18n = i18nFor(shown.language, shown.catalog, chooseLanguage);
    // Before the children render: amounts and messages made outside React follow the same language.
    setActiveLocale(i18n.locale, i18n.t);
    return i18n;
  }, [shown, chooseLanguage]);

  useEffect(() => {
    if (value) document.documentElement.lang = value.language;
  }, [value]);

  // Only while the first catalog other than English arrives (a few milliseconds): no English flash.
  if (!value) return null;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** `t('chat.stop')`, `t('organisation.youOwn', { name })`, `t('…_one/_other', { count })`. */
export function useT(): Translate {
  return useContext(I18nContext).t;
}
