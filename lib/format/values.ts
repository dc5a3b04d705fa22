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
  const digits = Math.abs(n) >= 1000 ? 0 : 2;
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(n);
}

export function formatNumber(n: number): string {
  return Number.isInteger(n)
    ? n.toLocaleString('en-US')
    : n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** An extra column of a KPI row, formatted by what its name says it holds. */
export function formatExtra(
  name: string,
  value: unknown,
  kpiUnit: Unit,
  options: FormatOptions = DEFAULT_OPTIONS,
) {
  if (value === null || value === undefined) return 'n/a';
  if (typeof value !== 'number') return String(value);
  if (/(^|_)days$/.test(name)) return formatKpiValue(value, 'days');
  if (/(^|_)hours$/.test(name)) return formatKpiValue(value, 'hours');
  if (/(^|_)(rate|share|churn)$/.test(name)) return formatKpiValue(value, 'ratio');
  if (/(amount|revenue|value|cost|mrr|spend)$/.test(name)) return formatKpiValue(value, 'money', options);
  if ((name === 'numerator' || name === 'denominator') && kpiUnit === 'money') {
    return formatKpiValue(value, 'money', options);
  }
  return formatNumber(value);
}
