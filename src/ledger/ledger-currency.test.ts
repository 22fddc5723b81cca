import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { assertLedgerCurrency, CurrencyMismatchError } from './ledger-currency.js';

describe('ledger currency', () => {
  it('is fixed at first start and refuses another one later', async () => {
    const { db } = await createTestDatabase();
    await assertLedgerCurrency(db, 'EUR');
    await assertLedgerCurrency(db, 'EUR');
    const error = await assertLedgerCurrency(db, 'USD').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CurrencyMismatchError);
    expect(String(error)).toContain('Set CURRENCY=EUR');
  });
});
