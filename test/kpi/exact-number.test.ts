import { describe, expect, it } from 'vitest';
import { coerceParam } from '../../lib/kpi/definition.ts';
import { exactNumber, typedParam } from '../../lib/kpi/exact-number.ts';

describe('numbers typed as parameters', () => {
  it('are numbers only when a double holds every digit', () => {
    expect(exactNumber('12')).toBe(12);
    expect(exactNumber('-3.50')).toBe(-3.5);
    expect(exactNumber('1e6')).toBe(1_000_000);
    expect(exactNumber('9007199254740991')).toBe(9007199254740991);
    expect(exactNumber('0.123456789012345')).toBe(0.123456789012345);
    expect(exactNumber('12345678901234567')).toBeUndefined();
    expect(exactNumber('0.1234567890123456789')).toBeUndefined();
    expect(exactNumber('1e-400')).toBeUndefined();
    expect(exactNumber('1e400')).toBeUndefined();
    expect(exactNumber('0x10')).toBeUndefined();
    expect(exactNumber('')).toBeUndefined();
  });

  it('bind in pulse query as the text when a number would not keep it as typed', () => {
    expect(typedParam('100')).toBe(100);
    expect(typedParam('2.5')).toBe(2.5);
    expect(typedParam('true')).toBe(true);
    expect(typedParam('12345678901234567')).toBe('12345678901234567');
    expect(typedParam('007')).toBe('007');
    expect(typedParam('EMEA')).toBe('EMEA');
  });

  it('are refused as a KPI number parameter rather than rounded', () => {
    expect(coerceParam('8', 'number')).toEqual({ ok: true, value: 8 });
    expect(coerceParam('0.25', 'number')).toEqual({ ok: true, value: 0.25 });
    expect(coerceParam('12345678901234567', 'number')).toEqual({
      ok: false,
      error:
        '"12345678901234567" has more digits than a number parameter keeps (15 significant digits); round it, or declare the parameter as text (an id, say)',
    });
    expect(coerceParam('eight', 'number')).toEqual({ ok: false, error: 'expected a number, got "eight"' });
    expect(coerceParam('12345678901234567', 'text')).toEqual({ ok: true, value: '12345678901234567' });
  });
});
