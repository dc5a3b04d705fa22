// Every number in context: the previous period, the same period last year and the target.
// Pure: takes a KPI series that reaches back far enough, returns the requested rows with
// their comparisons.

import type { Direction } from './definition.ts';
import {
  addDays,
  addMonths,
  beforeCalendar,
  FIRST_DAY,
  type Grain,
  type PeriodSpan,
  step,
  truncate,
} from './period.ts';
import type { KpiRow } from './run.ts';

export interface Target {
  readonly kpi: string;
  readonly periodStart: string;
  readonly grain: string;
  readonly target: number;
  /** null = the whole business. */
  readonly segment: string | null;
}

/** Fields added to each row; flat so that CSV stays one cell per value. */
export interface Comparison {
  readonly previous_value: number | null;
  readonly change: number | null;
  readonly relative_change: number | null;
  /** true = the change goes the KPI's good way; null = no change, no data or no direction. */
  readonly change_is_good: boolean | null;
  readonly year_ago_value: number | null;
  readonly yoy_change: number | null;
  readonly yoy_relative_change: number | null;
  readonly yoy_is_good: boolean | null;
  readonly target: number | null;
  /** value ÷ target (target ÷ value when lower is better): 1 = on target, above 1 = better. */
  readonly attainment: number | null;
  readonly on_track: boolean | null;
  /** Why there is no change vs the previous period when the data is the reason ("before the data starts"). */
  readonly comparison_note?: string;
  /** The same for the year-ago comparison. */
  readonly yoy_note?: string;
}

export type ComparedRow = KpiRow & Comparison;

/**
 * The spans to compute so every requested period has its previous and year-ago periods. None
 * reaches before the calendar's first day: those periods have no value (never a BC row).
 */
export function comparisonSpans(span: PeriodSpan): PeriodSpan[] {
  if (span.grain === 'range') {
    const days = daysBetween(span.start, span.end);
    const before: PeriodSpan[] = [
      { start: addDays(span.start, -days), end: span.start, grain: 'range' },
      { start: addMonths(span.start, -12), end: addMonths(span.end, -12), grain: 'range' },
    ];
    return [span, ...before.filter((s) => !beforeCalendar(s.start))];
  }
  const first = truncate(span.start, span.grain);
  // FIRST_DAY, a Monday, 1 January, starts a period of every grain.
  const start = yearAgo(first, span.grain);
  return [{ start: beforeCalendar(start) ? FIRST_DAY : start, end: span.end, grain: span.grain }];
}

/** Attaches comparisons to the rows of `requested` found in `computed` (which covers more). */
export function compareRows(
  computed: readonly KpiRow[],
  requested: PeriodSpan,
  options: {
    direction: Direction;
    by?: string | undefined;
    targets: readonly Target[];
    /** The KPI's `known:` ("amount of open deals"): what a comparison left out was missing. */
    known?: string | undefined;
  },
): ComparedRow[] {
  const unknownWhat = knownNoun(options.known);
  const key = (start: string, row: KpiRow) =>
    `${start}\u0000${options.by ? String(row[options.by] ?? '') : ''}`;
  const byKey = new Map(computed.map((row) => [key(row.period_start, row), row]));
  const inRange = computed.filter(
    (r) => r.period_start >= requestedStart(requested) && r.period_start < requested.end,
  );
  // Only whole periods are compared: a partial period (the data starts or ends inside it) or one
  // without data is "n/a", never a fall to or a rise from a number the data cannot support.
  const whole = (row: KpiRow | undefined) => (row ? wholeValue(row) : null);
  return inRange.map((row) => {
    const current = row.coverage === undefined && !partlyKnown(row);
    const previousRow = byKey.get(key(previousStart(row, requested), row));
    const yearAgoRow = byKey.get(key(yearAgoStart(row, requested), row));
    const previous = current ? whole(previousRow) : null;
    const yearAgoValue = current ? whole(yearAgoRow) : null;
    const comparisonNote = coverageReason(row, previousRow, unknownWhat);
    const yoyNote = coverageReason(row, yearAgoRow, unknownWhat);
    const target = findTarget(options.targets, row, requested.grain, options.by);
    const change = difference(row.value, previous);
    const yoyChange = difference(row.value, yearAgoValue);
    return {
      ...row,
      previous_value: previous,
      change,
      relative_change: relative(change, previous),
      change_is_good: isGood(change, options.direction),
      year_ago_value: yearAgoValue,
      yoy_change: yoyChange,
      yoy_relative_change: relative(yoyChange, yearAgoValue),
      yoy_is_good: isGood(yoyChange, options.direction),
      target,
      attainment: attainment(row.value, target, options.direction),
      on_track: onTrack(row.value, target, options.direction),
      ...(comparisonNote ? { comparison_note: comparisonNote } : {}),
      ...(yoyNote ? { yoy_note: yoyNote } : {}),
    };
  });
}

/** Why a comparison is left out for the data's sake, or undefined when the data allows it. */
function coverageReason(row: KpiRow, base: KpiRow | undefined, what: string): string | undefined {
  if (row.coverage === 'partial') return 'this period is partial';
  if (row.coverage === 'none') return undefined;
  // Before the data, no amount known now would make a comparison: that is the reason to give.
  if (base?.coverage === 'none') return 'before the data starts';
  if (partlyKnown(row)) return unknownNote(row, what);
  // No row at all (a breakdown value absent then) is no value, not a gap in the data.
  if (base === undefined) return undefined;
  if (base.coverage === 'none') return 'before the data starts';
  if (base.coverage === 'partial') return 'that period is partial';
  if (partlyKnown(base)) return `${unknownNote(base, what)} then`;
  return undefined;
}

/**
 * The value of a row that may be compared: a whole period, nothing unknown in it, and none of its
 * rows rejected in a material share (its `rejected_note`: the move may be the rejects'); else null.
 */
export function wholeValue(row: KpiRow): number | null {
  return row.rejected_note === undefined ? valueOfWholePeriod(row) : null;
}

/** The value of a whole period with its amounts known, rejected rows or not. */
function valueOfWholePeriod(row: KpiRow): number | null {
  return row.coverage === undefined && !partlyKnown(row) ? row.value : null;
}

/**
 * The values a trend draws: those that may be compared, and, where every period with a value lost
 * the same table-wide share of rejected rows (its `rejected_note` on each, and nothing more), those
 * too: the periods are computed alike, so the shape is the business's, and `evenlyRejected` is the
 * note the chart says it with. A period that lost more than its share (a note of its own) is not
 * drawn, as any value that may not be compared.
 */
export function drawnValues(rows: readonly KpiRow[]): (number | null)[] {
  const even = evenlyRejected(rows);
  return rows.map((row) =>
    even !== undefined && row.rejected_note === even ? valueOfWholePeriod(row) : wholeValue(row),
  );
}

/** The rejected-rows note every period with a value starts with, table-wide, or undefined. */
export function evenlyRejected(rows: readonly KpiRow[]): string | undefined {
  const valued = rows.filter((row) => row.value !== null);
  // A table-wide note comes first; a period's own follows it after "; ".
  const first = valued.map((row) =>
    typeof row.rejected_note === 'string' ? row.rejected_note.split('; ')[0] : undefined,
  );
  const [note] = first;
  return note !== undefined && first.every((n) => n === note) ? note : undefined;
}

/**
 * A sum with so many blanks in its input (kpi header `known:`) that its moves may be the blanks':
 * less than this share known. Above it the value is compared, with the share shown beside it.
 */
export const COMPARABLE_KNOWN_SHARE = 0.9;

// "partly" only where some amounts are known: none known is said as it is.
function unknownNote(row: KpiRow, what: string): string {
  return row.known_share === 0 ? `${what} unknown` : `${what} partly unknown`;
}

/** "amount of open deals" → "amounts"; "contacts of resolved tickets" → "contacts". */
function knownNoun(known: string | undefined): string {
  const what = known?.split(/\s+of\s+/)[0] ?? 'amount';
  return what === 'amount' ? 'amounts' : what;
}

function partlyKnown(row: KpiRow): boolean {
  return typeof row.known_share === 'number' && row.known_share < COMPARABLE_KNOWN_SHARE;
}

export function isGood(change: number | null, direction: Direction): boolean | null {
  if (change === null || change === 0 || direction === 'none') return null;
  return direction === 'up' ? change > 0 : change < 0;
}

export function attainment(value: number | null, target: number | null, direction: Direction): number | null {
  if (value === null || target === null || direction === 'none') return null;
  if (direction === 'up') return target === 0 ? null : value / target;
  return value === 0 ? null : target / value;
}

export function onTrack(value: number | null, target: number | null, direction: Direction): boolean | null {
  if (value === null || target === null || direction === 'none') return null;
  return direction === 'up' ? value >= target : value <= target;
}

function findTarget(
  targets: readonly Target[],
  row: KpiRow,
  grain: string,
  by: string | undefined,
): number | null {
  // Targets are per whole business, or per segment when broken down by segment.
  if (by !== undefined && by !== 'segment') return null;
  const segment = by === 'segment' ? row.segment : null;
  if (by === 'segment' && (segment === null || segment === undefined)) return null;
  const found = targets.find(
    (t) => t.periodStart === row.period_start && t.grain === grain && t.segment === segment,
  );
  return found?.target ?? null;
}

function requestedStart(span: PeriodSpan): string {
  return span.grain === 'range' ? span.start : truncate(span.start, span.grain);
}

function previousStart(row: KpiRow, span: PeriodSpan): string {
  if (span.grain === 'range')
    return addDays(row.period_start, -daysBetween(row.period_start, row.period_end));
  return step(row.period_start, span.grain, -1);
}

function yearAgoStart(row: KpiRow, span: PeriodSpan): string {
  return span.grain === 'range' ? addMonths(row.period_start, -12) : yearAgo(row.period_start, span.grain);
}

/** The same period a year earlier; for weeks, 52 weeks back (the same ISO weekday). */
export function yearAgo(start: string, grain: Grain): string {
  return grain === 'week' ? step(start, 'week', -52) : addMonths(start, -12);
}

function difference(value: number | null, base: number | null): number | null {
  return value === null || base === null ? null : value - base;
}

function relative(change: number | null, base: number | null): number | null {
  return change === null || base === null || base === 0 ? null : change / Math.abs(base);
}

function daysBetween(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
}
