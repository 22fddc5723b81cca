/** Messages with elements in them (a link, bold text): the same lookup, parameters as React nodes. */
import { Fragment, type ReactNode } from 'react';
import type { PartialCatalog } from './messages/en';
import { type MessageKey, messageTemplate, PLACEHOLDER, shownValue } from './translate';

export type RichTranslate = (key: MessageKey, params: Readonly<Record<string, ReactNode>>) => ReactNode;

export function createRich(catalog: PartialCatalog, fallback: PartialCatalog, locale: string): RichTranslate {
  return (key, params) => {
    const template = messageTemplate(catalog, fallback, locale, key, params.count);
    // split() with a capture group alternates: text, placeholder name, text, placeholder name…
    return template.split(PLACEHOLDER).map((part, index) => {
      if (index % 2 === 0) return part;
      const value = params[part];
      const shown =
        value === undefined
          ? `{${part}}`
          : typeof value === 'string' || typeof value === 'number'
            ? shownValue(value, locale)
            : value;
      // biome-ignore lint/suspicious/noArrayIndexKey: a message's parts never move
      return <Fragment key={index}>{shown}</Fragment>;
    });
  };
}
