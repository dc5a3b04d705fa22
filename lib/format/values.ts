// How numbers look to people. JSON keeps exact values; these are for tables and reports.
// Digits and separators follow a locale (default en-US), money a currency (default USD); the
// words around them (days, points, months) stay English, as the rest of the report.

import type { Unit } from './units.ts';

export interface FormatOptions {
  /** ISO 4217 code for money, e.g. USD, EUR. */
  readonly currency: string;
  /** BCP 47 tag for digits and separators, e.g. de-DE (default en-US). */
  readonly locale?: string;
}

export const DEFAULT_LOCALE = 'en-US';
const DEFAULT_OPTIONS: FormatOptions = { currency: 'USD' };

export function formatKpiValue(value: unknown, unit: Unit, options: FormatOptions = DEFAULT_OPTIONS): string {
  if (value === null || value === undefined) return 'n/a';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  const locale = options.locale ?? DEFAULT_LOCALE;
  switch (unit) {
    case 'ratio':
      return `${formatFixed(n * 100, 1, locale)} %`;
    case 'money':
      return formatMoney(n, options.currency, locale);
    case 'days':
      return `${formatFixed(n, 1, locale)} days`;
    case 'hours':
      return `${formatFixed(n, 1, locale)} h`;
    case 'months':
      return `${formatFixed(n, 1, locale)} months`;
    case 'score':
      return formatFixed(n, 1, locale);
    case 'count':
    case 'table':
      return formatNumber(n, locale);
  }
}

export function formatMoney(n: number, currency: string, locale = DEFAULT_LOCALE): string {
  // Cents below $1,000, but nothing has none: "$0", not "$0.00" (nor "-$0" for -0, nor "$0.00"
  // for the 5e-17 a sum of cents leaves behind).
  if (Math.abs(n) < 0.005) return numberFormat(locale, currency, 0).format(0);
  return numberFormat(locale, currency, Math.abs(n) >= 1000 ? 0 : 2).format(n);
}

export function formatNumber(n: number, locale = DEFAULT_LOCALE): string {
  return numberFormat(locale, undefined, Number.isInteger(n) ? undefined : 2).format(n);
}

/**
 * `n.toFixed(digits)` with the locale's decimal separator and no grouping: the same rounding as
 * before locales existed (Intl rounds 1.005 up, toFixed down), so en-US output never moves.
 */
export function formatFixed(n: number, digits: number, locale = DEFAULT_LOCALE): string {
  const text = n.toFixed(digits);
  const decimal = decimalSeparator(locale);
  return decimal === '.' ? text : text.replace('.', decimal);
}

/** The locale's decimal separator: `.` in en-US, `,` in de-DE. */
export function decimalSeparator(locale: string): string {
  return (
    numberFormat(locale, undefined, 1)
      .formatToParts(1.5)
      .find((p) => p.type === 'decimal')?.value ?? '.'
  );
}

// A formatter costs about 100 µs to build and a report formats hundreds of numbers: one each.
const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(
  locale: string,
  currency: string | undefined,
  digits: number | undefined,
): Intl.NumberFormat {
  const key = `${locale}:${currency ?? ''}:${digits ?? ''}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      ...(currency ? { style: 'currency', currency } : {}),
      ...(digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits }),
    });
    formats.set(key, format);
  }
  return format;
}

// Extra columns say what they hold in their names: `median_days`, `orders_without_cost`, `revenue`.
const COUNT_NAME =
  /^(orders|deals|customers|tickets|leads|responses|users|exits|touches|purchases|undecided|waiting|same_day|answers|promoters|passives|detractors|signs|active|cohort_size|month_index|activities|logins|won_deals|subscriptions|renewed|not_renewed|cancelled|breaches)(_(with|without)_[a-z_]+)?$/;
const MONEY_NAME = /(^|_)(amount|revenue|cost|mrr|spend|clv|cac|aov|margin)$|^(revenue|cost|mrr)_|_value$/;

/** An extra column of a KPI row, formatted by what its name says it holds. */
export function formatExtra(
  name: string,
  value: unknown,
  kpiUnit: Unit,
  options: FormatOptions = DEFAULT_OPTIONS,
) {
  if (value === null || value === undefined) return 'n/a';
  if (typeof value !== 'number') return String(value);
  const locale = options.locale ?? DEFAULT_LOCALE;
  if (COUNT_NAME.test(name)) return formatNumber(value, locale);
  if (/(^|_)days$/.test(name)) return formatKpiValue(value, 'days', options);
  if (/(^|_)hours$/.test(name)) return formatKpiValue(value, 'hours', options);
  if (/(^|_)months$/.test(name)) return formatKpiValue(value, 'months', options);
  if (/(^|_)(rate|share|churn|gross_margin|roi|retention|attainment)$/.test(name))
    return formatKpiValue(value, 'ratio', options);
  if (MONEY_NAME.test(name)) return formatKpiValue(value, 'money', options);
  // A money KPI is an amount per something (spend per customer, revenue per order): its
  // numerator is money, its denominator a count.
  if (name === 'numerator' && kpiUnit === 'money') return formatKpiValue(value, 'money', options);
  return formatNumber(value, locale);
}

/** A change as people read it: points for rates and scores, percent for amounts and counts. */
export function formatChange(
  change: number | null,
  relative: number | null,
  unit: Unit,
  options: Partial<FormatOptions> = {},
): string {
  if (change === null) return 'n/a';
  const locale = options.locale ?? DEFAULT_LOCALE;
  // Without a base to take a percent of (it was 0), the change in the KPI's own unit: +$76,109.
  const absolute = () =>
    formatKpiValue(Math.abs(change), unit, {
      currency: options.currency ?? DEFAULT_OPTIONS.currency,
      locale,
    });
  const [amount, magnitude, suffix] =
    unit === 'ratio'
      ? [change, formatFixed(Math.abs(change) * 100, 1, locale), ' pts']
      : unit === 'score'
        ? [change, formatFixed(Math.abs(change), 1, locale), '']
        : relative === null
          ? [change, absolute(), '']
          : [relative, formatFixed(Math.abs(relative) * 100, 1, locale), ' %'];
  // The sign follows what is shown: a change that rounds to zero is ±0.
  const sign = showsZero(magnitude) ? '±' : amount > 0 ? '+' : '−';
  return `${sign}${magnitude}${suffix}`;
}

/** True when formatted text has digits and all of them are 0 ("0.0", "0,00 €"), in any locale. */
export function showsZero(text: string): boolean {
  return /[0-9]/.test(text) && !/[1-9]/.test(text);
}

/** "better" / "worse" for a change, by the KPI's direction. */
export function formatVerdict(good: boolean | null): string {
  return good === null ? '' : good ? ' better' : ' worse';
}
