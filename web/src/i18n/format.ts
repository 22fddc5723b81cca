/**
 * Dates and plain numbers in a locale, with one Intl formatter per locale and style (they are slow
 * to make). Free of the DOM: the Node test of translate.ts runs it too.
 */

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function dateFormat(locale: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withTime}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      ...(withTime && { timeStyle: 'short' }),
    });
    dateFormats.set(key, format);
  }
  return format;
}

/** "3 Dec 2026", "03.12.2026"… */
export function formatDate(value: string | Date, locale: string): string {
  return dateFormat(locale, false).format(new Date(value));
}

/** "3 Dec 2026, 14:05", "03.12.2026, 14:05"… */
export function formatDateTime(value: string | Date, locale: string): string {
  return dateFormat(locale, true).format(new Date(value));
}

export function formatNumber(value: number, locale: string): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale);
    numberFormats.set(locale, format);
  }
  return format.format(value);
}
