import { describe, expect, it } from 'vitest';
import { axisFormat, formatLabel, vegaLocale } from '../../lib/charts/units.ts';
import { createFormatter, formatOptionsFromEnv } from '../../lib/format/formatter.ts';
import { formatExtra, formatFixed } from '../../lib/format/values.ts';
import { decomposeSum } from '../../lib/insights/decompose.ts';
import { formatAmount, sumChangeSentence } from '../../lib/insights/sentences.ts';

const NBSP = '\u00a0';

describe('the report formatter', () => {
  it('defaults to USD in en-US, as every report was before locales', () => {
    const f = createFormatter();
    expect([f.currency, f.locale]).toEqual(['USD', 'en-US']);
    expect(f.value(1234.5, 'money')).toBe('$1,235');
    expect(f.value(999.5, 'money')).toBe('$999.50');
    // Nothing has no cents to show.
    expect(f.value(0, 'money')).toBe('$0');
    expect(f.value(-0, 'money')).toBe('$0');
    expect(f.value(0.1 + 0.2 - 0.3, 'money')).toBe('$0');
    expect(f.value(0.5, 'money')).toBe('$0.50');
    expect(f.value(0.284, 'ratio')).toBe('28.4 %');
    expect(f.value(1234567, 'count')).toBe('1,234,567');
    expect(f.change(-0.0314, -0.1, 'ratio')).toBe('−3.1 pts');
  });

  it('writes amounts in the currency and digits in the locale', () => {
    const f = createFormatter({ currency: 'EUR', locale: 'de-DE' });
    expect(f.value(1234.5, 'money')).toBe(`1.235${NBSP}€`);
    expect(f.value(999.5, 'money')).toBe(`999,50${NBSP}€`);
    expect(f.value(0.284, 'ratio')).toBe('28,4 %');
    expect(f.value(12.34, 'days')).toBe('12,3 days');
    expect(f.value(37, 'score')).toBe('37,0');
    expect(f.value(1234567, 'count')).toBe('1.234.567');
    expect(f.extra('revenue_at_risk', 25_000, 'table')).toBe(`25.000${NBSP}€`);
    expect(f.extra('median_days', 3.14, 'days')).toBe('3,1 days');
    expect(f.change(5, 0.031, 'money')).toBe('+3,1 %');
    expect(f.change(0.00001, 0, 'ratio')).toBe('±0,0 pts');
    expect(f.fixed(8.46, 1)).toBe('8,5');
    // From 0 there is no percent: the change in the KPI's own unit, currency and all.
    expect(f.change(76109.3, null, 'money')).toBe(`+76.109${NBSP}€`);
    expect(f.change(-12.5, null, 'days')).toBe('−12,5 days');
    expect(f.change(3, null, 'count')).toBe('+3');
    expect(createFormatter().change(76109.3, null, 'money')).toBe('+$76,109');
  });

  it('rounds as toFixed does, so en-US output does not move', () => {
    // Intl rounds 1.005 (stored as 1.00499...) up; the reports always showed 1.00.
    expect(formatFixed(1.005, 2)).toBe('1.00');
    expect(formatFixed(1.005, 2, 'de-DE')).toBe('1,00');
  });

  it('writes sentences in the locale, compact money included', () => {
    const options = { currency: 'EUR', locale: 'de-DE' };
    expect(formatAmount(9_037_352, 'money', options)).toBe(`9,0${NBSP}Mio.${NBSP}€`);
    expect(
      sumChangeSentence(
        decomposeSum(
          [
            { key: 'Enterprise', value: 60 },
            { key: 'SMB', value: 50 },
          ],
          [
            { key: 'Enterprise', value: 50 },
            { key: 'SMB', value: 50 },
          ],
        ),
        { title: 'Revenue', unit: 'money' },
        options,
      ),
    ).toBe(`Revenue rose 10,0 % to 110,00${NBSP}€, +10,00${NBSP}€ from Enterprise.`);
  });

  it('gives charts a d3 locale and puts the currency where the locale does', () => {
    expect(vegaLocale({ currency: 'USD' })).toBeUndefined();
    const de = vegaLocale({ currency: 'EUR', locale: 'de-DE' });
    expect(de?.number).toMatchObject({ decimal: ',', thousands: '.', currency: ['', `${NBSP}€`] });
    const axis = axisFormat('money', 1e6, { currency: 'EUR', locale: 'de-DE' });
    expect(axis.labelExpr).toMatch(/\+ '\u00a0€'$/);
    expect(axisFormat('money', 1e6, { currency: 'USD' }).labelExpr).toContain("'$' + replace(");
    expect(formatLabel(1_250_000, 'money', { currency: 'EUR', locale: 'de-DE' })).toBe(
      `1,3${NBSP}Mio.${NBSP}€`,
    );
  });

  it('reads PULSE_CURRENCY and PULSE_LOCALE, refusing what would fail later', () => {
    expect(formatOptionsFromEnv({})).toEqual({ currency: 'USD', locale: 'en-US' });
    expect(formatOptionsFromEnv({ PULSE_CURRENCY: 'eur', PULSE_LOCALE: 'de-DE' })).toEqual({
      currency: 'EUR',
      locale: 'de-DE',
    });
    expect(() => formatOptionsFromEnv({ PULSE_CURRENCY: 'EURO' })).toThrow(/PULSE_CURRENCY "EURO"/);
    expect(() => formatOptionsFromEnv({ PULSE_LOCALE: 'xx-YY' })).toThrow(/PULSE_LOCALE "xx-YY"/);
    expect(() => formatOptionsFromEnv({ PULSE_LOCALE: 'not a locale' })).toThrow(/PULSE_LOCALE/);
  });
});

describe('the columns beside a money KPI', () => {
  it('show its numerator as money and its denominator as the count it is (orders, customers)', () => {
    const options = { currency: 'USD' };
    expect(formatExtra('numerator', 1200, 'money', options)).toBe('$1,200');
    expect(formatExtra('denominator', 40, 'money', options)).toBe('40');
  });
});
