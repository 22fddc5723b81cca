/**
 * Money is a bigint of micro-units (1 unit = 1,000,000 micros) from the API boundary to the database.
 * This file is the only place that parses and formats amounts.
 */
export const MICROS_PER_UNIT = 1_000_000n;

const AMOUNT_PATTERN = /^(-)?(\d{1,15})(?:\.(\d{1,6}))?$/;

/** Parses a decimal string such as "12.34" into micros; rejects more than six decimals. */
export function parseAmount(text: string): bigint {
  const match = AMOUNT_PATTERN.exec(text.trim());
  if (!match) throw new RangeError(`Not an amount: "${text}" (expected digits with up to 6 decimals)`);
  const [, sign, whole, fraction = ''] = match;
  const micros = BigInt(whole!) * MICROS_PER_UNIT + BigInt(fraction.padEnd(6, '0'));
  return sign ? -micros : micros;
}

/** Formats micros as a decimal string with six decimals: 12_340_000n -> "12.340000". */
export function formatAmount(micros: bigint): string {
  const negative = micros < 0n;
  const absolute = negative ? -micros : micros;
  const whole = absolute / MICROS_PER_UNIT;
  const fraction = (absolute % MICROS_PER_UNIT).toString().padStart(6, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

export function isAmountText(text: string): boolean {
  return AMOUNT_PATTERN.test(text.trim());
}

/** An amount in a wire format that wants a JSON number; made only by amountAsJsonNumber. */
export type JsonAmount = number;

/**
 * An amount as a JSON number for wire formats that want one (OpenRouter's `usage.cost`): parsed
 * from the decimal text, never computed in floating point. Exact up to 15 significant digits.
 */
export function amountAsJsonNumber(text: string): JsonAmount {
  if (!isAmountText(text)) throw new RangeError(`Not an amount: "${text}"`);
  return Number(text.trim());
}
