import { describe, expect, it } from 'vitest';
import { expectedFormat, moneyFix } from '../../lib/data/column-hints.ts';

describe('the fix offered for money that does not read', () => {
  it('drops symbols and separators when the export writes them', () => {
    expect(moneyFix('amount', 'Deal Value', ['$1,200.00', '$950'])).toBe(
      `"derive": {"amount": "replace(regexp_replace(\\"Deal Value\\", '[^0-9,.-]', '', 'g'), ',', '')"}`,
    );
  });

  it('offers none for plain decimals too large for the contract, and says the limit', () => {
    expect(moneyFix('amount', 'amount', ['99999999999999999'])).toBeUndefined();
    expect(expectedFormat('money')).toMatch(/at most 16 digits before the point/);
  });

  it('offers none for a column of names mapped as an amount, which dropping symbols cannot help', () => {
    expect(
      moneyFix('amount', 'product', ['GTX Pro', 'MG Advanced', 'GTX Basic', 'GTK 500', 'MG Special']),
    ).toBeUndefined();
  });
});
