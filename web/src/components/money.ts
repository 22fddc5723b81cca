/**
 * Amounts arrive from the server as decimal strings in currency units with six decimals
 * ("0.000123"); they are shown, never computed with, so no float ever holds money here.
 */

/** "12.340000" -> "12.34"; small amounts keep their significant digits ("0.000123"). */
export function formatMoney(amount: string, currency?: string): string {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = amount.replace('-', '').split('.');
  let digits = fraction.replace(/0+$/, '');
  if (digits.length < 2) digits = digits.padEnd(2, '0');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = `${negative ? '-' : ''}${grouped}.${digits}`;
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
