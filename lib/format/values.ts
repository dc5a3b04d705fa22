// How numbers look to people. JSON keeps exact values; these are for tables and reports.

import type { Unit } from '../kpi/definition.ts';

export interface FormatOptions {
  /** ISO 4217 code for money, e.g. USD, EUR. */
  readonly currency: string;
}

const DEFAULT_OPTIONS: FormatOptions = { currency: 'USD' };

export function formatKpiValue(value: unknown, unit: Unit, options: FormatOptions = DEFAULT_OPTIONS): string {
  if (value === null || value === undefined) return 'n/a';
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  switch (unit) {
    case 'ratio':
      return `${(n * 100).toFixed(1)} %`;
    case 'money':
      return formatMoney(n, options.currency);
    case 'days':
      return `${n.toFixed(1)} days`;
    case 'hours':
      return `${n.toFixed(1)} h`;
    case 'months':
      return `${n.toFixed(1)} months`;
    case 'score':
      return n.toFixed(1);
    case 'count':
    case 'table':
      return formatNumber(n);
  }
}

export function formatMoney(n: number, currency: string): string {
  return numberFormat(currency, Math.abs(n) >= 1000 ? 0 : 2).format(n);
}

export function formatNumber(n: number): string {
  return numberFormat(undefined, Number.isInteger(n) ? undefined : 2).format(n);
}

// A formatter costs about 100 µs to build and a report formats hundreds of numbers: one each.
const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(currency: string | undefined, digits: number | undefined): Intl.NumberFormat {
  const key = `${currency ?? ''}:${digits ?? ''}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat('en-US', {
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
  if (COUNT_NAME.test(name)) return formatNumber(value);
  if (/(^|_)days$/.test(name)) return formatKpiValue(value, 'days');
  if (/(^|_)hours$/.test(name)) return formatKpiValue(value, 'hours');
  if (/(^|_)months$/.test(name)) return formatKpiValue(value, 'months');
  if (/(^|_)(rate|share|churn|gross_margin|roi|retention|attainment)$/.test(name))
    return formatKpiValue(value, 'ratio');
  if (MONEY_NAME.test(name)) return formatKpiValue(value, 'money', options);
  if ((name === 'numerator' || name === 'denominator') && kpiUnit === 'money') {
    return formatKpiValue(value, 'money', options);
  }
  return formatNumber(value);
}

/** A change as people read it: points for rates and scores, percent for amounts and counts. */
export function formatChange(change: number | null, relative: number | null, unit: Unit): string {
  if (change === null) return 'n/a';
  const [amount, magnitude, suffix] =
    unit === 'ratio'
      ? [change, (Math.abs(change) * 100).toFixed(1), ' pts']
      : unit === 'score'
        ? [change, Math.abs(change).toFixed(1), '']
        : relative === null
          ? [change, formatNumber(Math.abs(change)), '']
          : [relative, (Math.abs(relative) * 100).toFixed(1), ' %'];
  // The sign follows what is shown: a change that rounds to zero is ±0.
  const sign = Number(magnitude.replaceAll(',', '')) === 0 ? '±' : amount > 0 ? '+' : '−';
  return `${sign}${magnitude}${suffix}`;
}

/** "better" / "worse" for a change, by the KPI's direction. */
export function formatVerdict(good: boolean | null): string {
  return good === null ? '' : good ? ' better' : ' worse';
}
