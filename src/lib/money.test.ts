import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount, parseAmount } from './money.js';

describe('money', () => {
  it('parses decimal strings into micros', () => {
    expect(parseAmount('12.34')).toBe(12_340_000n);
    expect(parseAmount('0.000001')).toBe(1n);
    expect(parseAmount('-5')).toBe(-5_000_000n);
  });

  it('rejects more than six decimals and non-numbers', () => {
    for (const bad of ['1.0000001', 'abc', '', '1e5', '0x10', '1,5'])
      expect(() => parseAmount(bad)).toThrow(RangeError);
  });

  it('formats and parses back to the same micros', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (micros) => {
        expect(parseAmount(formatAmount(micros))).toBe(micros);
      }),
    );
  });
});
