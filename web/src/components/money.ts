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
