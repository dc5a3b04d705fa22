// Numbers on charts by unit: axis formats (d3 format strings and Vega expressions) and compact
// direct labels. Tables and alt text use lib/format/values.ts so they read like the rest of the
// report.

import type { Locale } from 'vega';
import type { Axis } from 'vega-lite/types_unstable/axis.js';
import { DEFAULT_LOCALE, type FormatOptions, formatKpiValue, formatNumber } from '../format/values.ts';
import type { Unit } from '../kpi/definition.ts';

/** 'table' KPIs are drawn as counts. */
export type ChartUnit = Unit;

export const DEFAULT_FORMAT: FormatOptions = { currency: 'USD' };

/** The unit written in the axis title, where the tick labels do not say it. */
export function unitTitle(unit: ChartUnit): string | null {
  switch (unit) {
    case 'days':
    case 'hours':
    case 'months':
      return unit;
    case 'score':
      return 'score';
    default:
      return null;
  }
}

/** Axis label format for a unit over a value span (so 25–28 % does not read 25 %, 25 %, 26 %). */
export function axisFormat(unit: ChartUnit, span: number, options: FormatOptions = DEFAULT_FORMAT): Axis {
  switch (unit) {
    case 'ratio':
      return { format: span > 0 && span < 0.06 ? '.1%' : '.0%' };
    case 'money': {
      // d3's SI prefixes say k and G; business readers expect K and B, as Intl's compact notation.
      // The number's separators come from the chart's locale (vegaLocale), the symbol's place
      // from the currency's format there: $1.2M, 1,2M €.
      const { prefix, suffix } = currencyAffixes(options);
      return {
        labelExpr: `(datum.value < 0 ? '−' : '') + '${prefix}' + replace(replace(format(abs(datum.value), ',.3~s'), 'k', 'K'), 'G', 'B')${suffix ? ` + '${suffix}'` : ''}`,
      };
    }
    case 'count':
    case 'table':
      return { format: span >= 10_000 ? ',.3~s' : ',~d' };
    case 'days':
    case 'hours':
    case 'months':
      return { format: span > 0 && span < 5 ? ',.1f' : ',.0f' };
    case 'score':
      return { format: ',.0f' };
  }
}

/** A value for a label on a mark: compact money ($1.2M), otherwise as in tables. */
export function formatLabel(
  value: number | null,
  unit: ChartUnit,
  options: FormatOptions = DEFAULT_FORMAT,
): string {
  if (value === null) return 'n/a';
  // Nothing needs no cents: "New $0" beside "Recurring $76.1K", not "$0.00".
  if (unit === 'money' && (Math.abs(value) >= 10_000 || value === 0)) {
    return new Intl.NumberFormat(options.locale ?? DEFAULT_LOCALE, {
      style: 'currency',
      currency: options.currency,
      notation: 'compact',
      minimumFractionDigits: 0,
      maximumFractionDigits: 1,
    }).format(value);
  }
  return formatValue(value, unit, options);
}

/** A value as in the report's tables. */
export function formatValue(
  value: number | null,
  unit: ChartUnit,
  options: FormatOptions = DEFAULT_FORMAT,
): string {
  return formatKpiValue(value, unit, options);
}

/** A share 0..1 as "42.0 %". */
export function formatShare(share: number | null, options: FormatOptions = DEFAULT_FORMAT): string {
  return formatKpiValue(share, 'ratio', options);
}

/** A count in a sentence: "1,234". */
export function formatCount(n: number, options: FormatOptions = DEFAULT_FORMAT): string {
  return formatNumber(n, options.locale);
}

export function currencySymbol(currency: string, locale = DEFAULT_LOCALE): string {
  const parts = new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(0);
  return (parts.find((p) => p.type === 'currency')?.value ?? currency).replaceAll("'", '');
}

/** What goes before and after an amount in the locale: `$` and `` in en-US, `` and ` €` in de-DE. */
export function currencyAffixes(options: FormatOptions): { prefix: string; suffix: string } {
  const parts = new Intl.NumberFormat(options.locale ?? DEFAULT_LOCALE, {
    style: 'currency',
    currency: options.currency,
  }).formatToParts(1);
  const first = parts.findIndex((p) => p.type === 'integer');
  const last = parts.findLastIndex((p) => ['integer', 'decimal', 'fraction'].includes(p.type));
  // Quotes would end the Vega expression string the affixes are written into.
  const text = (from: number, to?: number) =>
    parts
      .slice(from, to)
      .map((p) => p.value)
      .join('')
      .replaceAll("'", '');
  return { prefix: text(0, first), suffix: text(last + 1) };
}

/**
 * The chart's d3 number locale (Vega's `config.locale`) so axis ticks written with format
 * strings follow the report's locale; undefined for en-US, Vega's own default.
 */
export function vegaLocale(options: FormatOptions): Locale | undefined {
  const locale = options.locale ?? DEFAULT_LOCALE;
  if (locale === DEFAULT_LOCALE) return undefined;
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  const percent = new Intl.NumberFormat(locale, { style: 'percent' }).formatToParts(0.5);
  const afterNumber = percent.slice(percent.findLastIndex((p) => p.type === 'integer') + 1);
  const { prefix, suffix } = currencyAffixes(options);
  return {
    number: {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      thousands: parts.find((p) => p.type === 'group')?.value ?? '',
      grouping: [3],
      currency: [prefix, suffix],
      percent: afterNumber.map((p) => p.value).join('') || '%',
      minus: '−',
    },
  };
}

/** A round domain around the values (and zero when asked), for scales whose pixels we place labels on. */
export function niceDomain(values: readonly number[], includeZero: boolean): [number, number] {
  let lo = Math.min(...values, ...(includeZero ? [0] : []));
  let hi = Math.max(...values, ...(includeZero ? [0] : []));
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) {
    const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    [lo, hi] = [includeZero && lo >= 0 ? 0 : lo - pad, hi + pad];
  }
  // d3's tick step for about five ticks, so the domain ends on the gridlines Vega will draw.
  const raw = (hi - lo) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const step =
    power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1);
  // toPrecision drops float noise (15 × 0.02 = 0.30000000000000004) that would reach tick labels.
  const round = (x: number) => Number(x.toPrecision(12));
  return [round(Math.floor(lo / step + 1e-9) * step), round(Math.ceil(hi / step - 1e-9) * step)];
}
