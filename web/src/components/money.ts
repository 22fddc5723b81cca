/**
 * Amounts arrive from the server as decimal strings in currency units with six decimals
 * ("0.000123"); they are shown, never computed with, so no float ever holds money here. The
 * separators are those of the language on screen ("12,34 USD" in German); Intl only tells which.
 */
import { activeLocale } from '../i18n/active-locale';

interface Separators {
  group: string;
  decimal: string;
  /** Spanish writes 1234 but 12.345: a fourth digit alone is not grouped. */
  groupsFourDigits: boolean;
}

const separatorsByLocale = new Map<string, Separators>();

function separatorsOf(locale: string): Separators {
  let separators = separatorsByLocale.get(locale);
  if (!separators) {
    const format = new Intl.NumberFormat(locale);
    const parts = format.formatToParts(12345.6);
    separators = {
      group: parts.find((part) => part.type === 'group')?.value ?? ',',
      decimal: parts.find((part) => part.type === 'decimal')?.value ?? '.',
      groupsFourDigits: format.formatToParts(1234).some((part) => part.type === 'group'),
    };
    separatorsByLocale.set(locale, separators);
  }
  return separators;
}

/** "12.340000" -> "12.34"; small amounts keep their significant digits ("0.000123"). */
export function formatMoney(amount: string, currency?: string): string {
  const { group, decimal, groupsFourDigits } = separatorsOf(activeLocale());
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  let digits = fraction.replace(/0+$/, '');
  if (digits.length < 2) digits = digits.padEnd(2, '0');
  const grouped =
    whole.length > 4 || (whole.length === 4 && groupsFourDigits)
      ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, group)
      : whole;
  const text = `${negative ? '-' : ''}${grouped}${decimal}${digits}`;
  return currency ? `${text} ${currency}` : text;
}

/**
 * For tight places (the header): whole cents, rounded down so it never shows more than is there
 * ("19.999975" -> "19.99"); the exact amount goes in a tooltip or the billing page.
 */
export function formatMoneyShort(amount: string, currency?: string): string {
  const [whole = '0', fraction = ''] = amount.split('.');
  return formatMoney(`${whole}.${fraction.slice(0, 2).padEnd(2, '0')}`, currency);
}
