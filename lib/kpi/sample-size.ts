// How many items a KPI row's value rests on, and how many a group needs before it is compared.

import type { Unit } from './definition.ts';

/**
 * The fewest items a group needs before a chart names it as the leader or an alert judges it:
 * one deal of one is a 100 % close rate, not a verdict.
 */
export const MIN_SAMPLE = 10;

// A rate's denominator, else the KPI's own count column.
const COUNT_FIELDS = [
  'denominator',
  'deals',
  'orders',
  'customers',
  'tickets',
  'responses',
  'answers',
  'exits',
  'leads',
];

/** The count a row's value rests on; null when the KPI has no count column (a sum of money). */
export function sampleSize(row: Readonly<Record<string, unknown>>): number | null {
  return countedItems(row)?.n ?? null;
}

function countedItems(row: Readonly<Record<string, unknown>>): { n: number; field: string } | null {
  for (const field of COUNT_FIELDS) {
    const n = row[field];
    if (typeof n === 'number' && Number.isFinite(n)) return { n, field };
  }
  return null;
}

// Units whose value is a rate or an average over its items; a count or a sum of money is a fact
// however few items it has (3 new customers is 3), unless the row names its denominator (CAC).
const AVERAGED_UNITS: ReadonlySet<Unit> = new Set(['ratio', 'score', 'days', 'hours', 'months']);

/**
 * "3 deals": the items a rate or an average rests on when they are fewer than MIN_SAMPLE;
 * else null.
 */
export function tooFewToJudge(
  unit: Unit,
  row: Readonly<Record<string, unknown>>,
  /** What a denominator counts, e.g. "deals". */
  denominatorNoun = 'items',
): string | null {
  const items = countedItems(row);
  const averaged = AVERAGED_UNITS.has(unit) || row.denominator !== undefined;
  if (!averaged || items === null || items.n >= MIN_SAMPLE) return null;
  const noun = items.field === 'denominator' ? denominatorNoun : items.field;
  return `${items.n} ${items.n === 1 ? noun.replace(/s$/, '') : noun}`;
}
