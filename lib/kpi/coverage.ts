// What stretch of time a KPI's data covers. A KPI can only speak of periods its data covers:
// from the first value of its own time columns (its history starts there) to the data's as-of
// day (the latest event in the export; later days are not in it yet). A period outside that is
// "no data" (null, with the reason), never 0; a period covered in part is "partial".

import { CONTRACT, type ColumnSpec } from '../data/contract.ts';
import type { Dataset } from '../data/dataset.ts';
import { dataAsOf, readFreshness, type TableFreshness } from '../data/freshness.ts';
import { lexSql, type Token } from '../data/sql-lexer.ts';
import { quoteIdent } from '../data/sql-text.ts';
import type { KpiDefinition } from './definition.ts';
import { addDays, addMonths, formatPeriod, type PeriodSpan, step } from './period.ts';

export interface Coverage {
  /** First day with data (report time zone); null when the KPI's tables hold no dated rows. */
  readonly start: string | null;
  /** What starts then: "closed_at in opportunities", the first value of which is `start`. */
  readonly startColumn?: string;
  /**
   * The last day the data covers: the export's as-of day (its latest event), or earlier when a
   * table the KPI reads ended before the rest (null: no dated rows at all).
   */
  readonly asOf: string | null;
  /** The table whose end is `asOf`, when it ended before the rest of the export ... */
  readonly endedTable?: string;
  /** ... whose as-of day is this. */
  readonly exportAsOf?: string;
  /**
   * Customers derived from orders (`"customers": {"from": "orders"}`) are acquired at their first
   * order in the export: one who bought before it starts is taken as acquired later. Periods
   * before `until` (a year of orders) are partial for a KPI that reads acquired_at, unless the
   * mapping declares every first order is in the export (`"first_orders_in_export": true`).
   */
  readonly derivedAcquisition?: {
    readonly ordersStart: string;
    readonly until: string;
    /** Months of orders it takes: a year, more for a KPI that reads months after acquisition. */
    readonly months: number;
  };
}

// A table whose events stop well before the rest of the export (orders exported to August, the
// rest to October) has not gone quiet: it was cut off, and its KPIs cannot speak of later days.
// Said only when the gap is a week or more (weekends and holidays are quiet) and the table's own
// pace would have put at least 7 events in it (a chance silence is then under 0.1 %). A pace is
// told only from 30 rows or more: a handful of rows, all from a few days, says little of it.
const ENDED_GAP_DAYS = 7;
const ENDED_EXPECTED_EVENTS = 7;
const ENDED_MIN_ROWS = 30;

export type PeriodCoverage = 'full' | 'partial' | 'none';

interface Timeline {
  readonly freshness: Promise<TableFreshness[]>;
  readonly asOf: Promise<string | null>;
  /** The tables that ended before the export's as-of day, with their last day. */
  ends?: Promise<Map<string, string>>;
  /** First day with data per event column, by table (one query per table). */
  readonly firstDays: Map<string, Promise<Map<string, string | null>>>;
}

const timelines = new WeakMap<Dataset, Timeline>();

function timeline(dataset: Dataset): Timeline {
  let found = timelines.get(dataset);
  if (!found) {
    const freshness = readFreshness(dataset, dataset.now);
    found = { freshness, asOf: freshness.then(dataAsOf), firstDays: new Map() };
    timelines.set(dataset, found);
  }
  return found;
}

/**
 * The event columns whose first value starts a KPI's history, per table it needs. Of a table's
 * columns, those its SQL puts in periods (`o.closed_at >= p.period_start`) when it names any:
 * the sales cycle counts deals by the day they closed, so its history starts with the first
 * close, not the first deal created.
 */
export function coverageColumns(kpi: Pick<KpiDefinition, 'needs'> & { sql?: string }): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  for (const need of kpi.needs) {
    const [table = '', column = ''] = need.split('.');
    const spec = CONTRACT.find((t) => t.name === table);
    const events = spec?.columns.filter((c) => c.event) ?? [];
    if (events.length === 0) continue;
    const list = tables.get(table) ?? [];
    if (events.some((c) => c.name === column)) list.push(column);
    tables.set(table, list);
  }
  const bucketed = kpi.sql === undefined ? new Set<string>() : periodColumns(kpi.sql);
  for (const [table, columns] of tables) {
    const inPeriods = columns.filter((c) => bucketed.has(c));
    if (inPeriods.length > 0) tables.set(table, inPeriods);
  }
  // A table needed only for other columns starts with its own first event.
  for (const [table, columns] of tables) {
    if (columns.length > 0) continue;
    const spec = CONTRACT.find((t) => t.name === table);
    tables.set(table, spec?.columns.filter((c) => c.event).map((c) => c.name) ?? []);
  }
  return tables;
}

const periodColumnsOf = new Map<string, Set<string>>();

/**
 * The columns the SQL compares with a period's start (`o.closed_at >= p.period_start`,
 * `closed_at >= period_start`): what its periods count by. `bound` names another column of
 * the periods (`start_day`, for date columns). Read with the SQL lexer, so text in comments and
 * strings does not count.
 */
export function periodColumns(sql: string, bound = 'period_start'): Set<string> {
  const key = `${bound}\n${sql}`;
  let found = periodColumnsOf.get(key);
  if (!found) {
    found = new Set<string>();
    for (const { tokens } of lexSql(sql).statements) {
      for (let i = 0; i + 2 < tokens.length; i++) {
        const column = tokens[i];
        if (column?.kind !== 'word' && column?.kind !== 'identifier') continue;
        let j = i + 1;
        const comparison = (t: Token | undefined) => t?.kind === 'symbol' && /^[<>=]$/.test(t.text);
        if (!comparison(tokens[j])) continue;
        while (comparison(tokens[j])) j++;
        // An optional alias: p.period_start.
        if (tokens[j + 1]?.text === '.') j += 2;
        if (tokens[j]?.text.toLowerCase() === bound) found.add(column.text.toLowerCase());
      }
    }
    if (periodColumnsOf.size > 1000) periodColumnsOf.clear();
    periodColumnsOf.set(key, found);
  }
  return found;
}

/** The days a KPI's data covers on this dataset. */
export async function kpiCoverage(
  dataset: Dataset,
  kpi: Pick<KpiDefinition, 'needs'> & { sql?: string },
): Promise<Coverage> {
  const line = timeline(dataset);
  const tables = coverageColumns(kpi);
  // A KPI that names no dated column (a scratchpad KPI without `needs`): the whole data's span.
  if (tables.size === 0) return datasetCoverage(dataset);
  const starts = [...(await tableStarts(dataset, kpi)).values()];
  // Every table must have begun: the latest of their first days. And none may have ended.
  const latestStart = starts.sort((a, b) => a.day.localeCompare(b.day)).at(-1);
  const exportAsOf = await line.asOf;
  const ends = await endedTables(dataset, line);
  // Only the tables whose events the KPI counts (a table read for its attributes is a lookup).
  const counted = new Set(kpi.needs.filter((n) => isEventColumn(n)).map((n) => n.split('.')[0] ?? ''));
  const ended = [...tables.keys()]
    .filter((table) => counted.has(table))
    .flatMap((table) => {
      const end = ends.get(table);
      return end && exportAsOf && end < exportAsOf ? [{ table, end }] : [];
    })
    .sort((a, b) => a.end.localeCompare(b.end))[0];
  const derived = await derivedAcquisition(dataset, line, kpi);
  return {
    start: latestStart?.day ?? null,
    ...(latestStart ? { startColumn: latestStart.column } : {}),
    asOf: ended?.end ?? exportAsOf,
    ...(ended && exportAsOf ? { endedTable: ended.table, exportAsOf } : {}),
    ...(derived ? { derivedAcquisition: derived } : {}),
  };
}

// A customer's first order in an export that starts mid-history is not their first order: a
// year of orders tells most old customers from new ones, as new revenue's own 12 months do.
const DERIVED_HISTORY_MONTHS = 12;

async function derivedAcquisition(
  dataset: Dataset,
  line: Timeline,
  kpi: Pick<KpiDefinition, 'needs'> & { sql?: string },
): Promise<Coverage['derivedAcquisition']> {
  if (!kpi.needs.includes('customers.acquired_at')) return undefined;
  const customers = dataset.tables.find((t) => t.table === 'customers');
  if (customers?.derivedFrom !== 'orders') return undefined;
  // No customer bought before the export (the mapping says so): every acquisition is on time.
  if (customers.firstOrdersInExport) return undefined;
  const ordersStart = (await firstDays(dataset, line, 'orders')).get('ordered_at');
  if (!ordersStart) return undefined;
  // New revenue counts a customer's orders of the 12 months after acquisition: an acquisition
  // taken a year late is then counted new for a year more.
  const months = DERIVED_HISTORY_MONTHS + monthsAfterAcquisition(kpi.sql ?? '');
  return { ordersStart, until: addMonths(ordersStart, months), months };
}

/** N of `acquired_at + INTERVAL N MONTH` in the SQL (its code, not comments): 0 when none. */
export function monthsAfterAcquisition(sql: string): number {
  let most = 0;
  for (const { tokens } of lexSql(sql).statements)
    tokens.forEach((token, i) => {
      const [plus, interval, n, unit] = tokens.slice(i + 1, i + 5).map((t) => t.text.toLowerCase());
      if (token.text.toLowerCase() !== 'acquired_at' || plus !== '+' || interval !== 'interval') return;
      if (/^\d+$/.test(n ?? '') && /^months?$/.test(unit ?? '')) most = Math.max(most, Number(n));
    });
  return most;
}

/** Why a period before a year of orders is partial for a KPI reading derived acquisitions. */
export function derivedAcquisitionNote(derived: NonNullable<Coverage['derivedAcquisition']>): string {
  const span =
    derived.months === 12
      ? 'a year'
      : derived.months % 12 === 0
        ? `${derived.months / 12} years`
        : `${derived.months} months`;
  return `partial: customers come from their first order, and the orders start ${derived.ordersStart} (${span} of orders, to ${derived.until}, ${derived.months === 12 ? 'tells' : 'tell'} new customers from older ones)`;
}

/**
 * Where each dated table of a KPI begins: the first value of its coverage columns, e.g.
 * orders → { day: '2026-05-01', column: 'ordered_at in orders' }. A table without dated rows
 * is left out.
 */
export async function tableStarts(
  dataset: Dataset,
  kpi: Pick<KpiDefinition, 'needs'> & { sql?: string },
): Promise<Map<string, { day: string; column: string }>> {
  const line = timeline(dataset);
  const starts = new Map<string, { day: string; column: string }>();
  for (const [table, columns] of coverageColumns(kpi)) {
    const present = columns.filter((c) => dataset.has(table, c));
    if (present.length === 0) continue;
    const days = await firstDays(dataset, line, table);
    const first = present
      .flatMap((c) => {
        const day = days.get(c);
        return day ? [{ day, column: `${c} in ${table}` }] : [];
      })
      .sort((a, b) => a.day.localeCompare(b.day))[0];
    if (first) starts.set(table, first);
  }
  return starts;
}

/**
 * The tables whose events the SQL counts within each period (an event column compared with the
 * period's start: `o.closed_at >= p.period_start`, `x.spent_on >= p.start_day`), as opposed to
 * those it reads over another span or as a state at the period's end (orders of the 12 months
 * to it, customers active on its last day).
 */
export function periodTables(kpi: Pick<KpiDefinition, 'needs'> & { sql?: string }): Set<string> {
  if (kpi.sql === undefined) return new Set();
  const compared = new Set([...periodColumns(kpi.sql), ...periodColumns(kpi.sql, 'start_day')]);
  const found = new Set<string>();
  for (const [table, columns] of coverageColumns(kpi))
    if (columns.some((c) => compared.has(c.toLowerCase()))) found.add(table);
  return found;
}

function endedTables(dataset: Dataset, line: Timeline): Promise<Map<string, string>> {
  line.ends ??= (async () => {
    const asOf = await line.asOf;
    const ends = new Map<string, string>();
    if (!asOf) return ends;
    for (const { table, latest } of await line.freshness) {
      if (!latest || daysBetween(latest, asOf) < ENDED_GAP_DAYS) continue;
      const summary = dataset.tables.find((t) => t.table === table);
      // A table built from another (customers from orders) ends where that one does (below).
      if (!summary || summary.derivedFrom) continue;
      const rows = summary.loaded;
      const first = [...(await firstDays(dataset, line, table)).values()]
        .filter((d): d is string => d !== null)
        .sort()[0];
      if (!first || rows < ENDED_MIN_ROWS) continue;
      const perDay = rows / (daysBetween(first, latest) + 1);
      if (perDay * daysBetween(latest, asOf) >= ENDED_EXPECTED_EVENTS) ends.set(table, latest);
    }
    // Its own last day is only its last first order: customers acquired long ago keep ordering.
    for (const { table, derivedFrom } of dataset.tables) {
      const end = derivedFrom && ends.get(derivedFrom);
      if (end) ends.set(table, end);
    }
    return ends;
  })();
  return line.ends;
}

function isEventColumn(need: string): boolean {
  const [table, column] = need.split('.');
  return CONTRACT.some((t) => t.name === table && t.columns.some((c) => c.name === column && c.event));
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The days the whole dataset covers: its first event anywhere to its as-of day. */
export async function datasetCoverage(dataset: Dataset): Promise<Coverage> {
  const line = timeline(dataset);
  const firsts: string[] = [];
  for (const spec of CONTRACT) {
    for (const day of (await firstDays(dataset, line, spec.name)).values()) if (day) firsts.push(day);
  }
  return { start: firsts.sort()[0] ?? null, asOf: await line.asOf };
}

function firstDays(dataset: Dataset, line: Timeline, table: string): Promise<Map<string, string | null>> {
  let found = line.firstDays.get(table);
  if (!found) {
    const columns = (CONTRACT.find((t) => t.name === table)?.columns ?? []).filter(
      (c) => c.event && dataset.has(table, c.name),
    );
    const kept = dataset.eventMinima?.get(table);
    found =
      columns.length === 0
        ? Promise.resolve(new Map())
        : kept && columns.every((c) => kept.has(c.name))
          ? localDays(dataset, columns, kept)
          : scanFirstDays(dataset, table, columns);
    line.firstDays.set(table, found);
  }
  return found;
}

// The earliest values the validation read (instants with their offset, or dates) as the report
// zone's calendar days: no scan.
async function localDays(
  dataset: Dataset,
  columns: readonly ColumnSpec[],
  earliest: ReadonlyMap<string, string | null>,
): Promise<Map<string, string | null>> {
  const params: Record<string, string> = {};
  const days = columns.map((c, i) => {
    const value = earliest.get(c.name);
    if (value == null) return `NULL AS f${i}`;
    params[`v${i}`] = value;
    return `$v${i}::${c.type === 'date' ? 'DATE' : 'TIMESTAMPTZ::DATE'}::VARCHAR AS f${i}`;
  });
  const [row] = await dataset.db.rows(`SELECT ${days.join(', ')}`, params);
  return new Map(columns.map((c, i) => [c.name, row?.[`f${i}`] == null ? null : String(row[`f${i}`])]));
}

async function scanFirstDays(
  dataset: Dataset,
  table: string,
  columns: readonly ColumnSpec[],
): Promise<Map<string, string | null>> {
  // Instants become the report zone's calendar day (the session zone is the report's).
  const firsts = columns.map(
    (c, i) =>
      `min(${c.type === 'date' ? quoteIdent(c.name) : `${quoteIdent(c.name)}::TIMESTAMPTZ::DATE`})::VARCHAR AS f${i}`,
  );
  const [row] = await dataset.db.rows(`SELECT ${firsts.join(', ')} FROM ${quoteIdent(table)}`);
  return new Map(columns.map((c, i) => [c.name, row?.[`f${i}`] == null ? null : String(row[`f${i}`])]));
}

/** How much of [start, end) the coverage spans. */
export function periodCoverage(period: { start: string; end: string }, coverage: Coverage): PeriodCoverage {
  if (coverage.start === null || coverage.asOf === null) return 'none';
  const end = addDays(coverage.asOf, 1);
  if (period.end <= coverage.start || period.start >= end) return 'none';
  if (period.start < coverage.start || period.end > end) return 'partial';
  return 'full';
}

/** The period ends before the data starts: a later export will not fill it (not a stale one). */
export function beforeData(period: { end: string }, coverage: Coverage): boolean {
  return coverage.start !== null && period.end <= coverage.start;
}

/** What to say when the data does not cover a period at all, with the range it does cover. */
export function uncoveredMessage(period: PeriodSpan, coverage: Coverage): string {
  const covers =
    coverage.start && coverage.asOf
      ? coverage.endedTable
        ? `${coverage.endedTable} cover ${coverage.start} to ${coverage.asOf}, though the rest of the export runs to ${coverage.exportAsOf}`
        : `the data covers ${coverage.start} to ${coverage.asOf} (data as of ${coverage.asOf})`
      : 'the data holds no dated rows';
  return `no data for ${spanLabel(period)}: ${covers}; give a period within it`;
}

/** "November 2026" for one period, "2026-01-01 to 2026-12-31" for a series or range. */
function spanLabel(span: PeriodSpan): string {
  const single = span.grain === 'range' || step(span.start, span.grain, 1) === span.end;
  return single ? formatPeriod(span) : `${span.start} to ${addDays(span.end, -1)}`;
}

/**
 * The reason of a "no data for <period>: <reason>" note (coverageNote), for a sentence that names
 * the period itself: "the data starts 2017-03-01 (the first closed_at in opportunities)". Any
 * other note is returned as it is.
 */
export function noDataReason(note: string): string {
  const match = /^no data for [^:]*: (.*)$/s.exec(note);
  return match?.[1] ?? note;
}

/** Why a period has no data or only part of it: "the data ends 2026-10-31". */
export function coverageNote(period: PeriodSpan, coverage: Coverage): string | undefined {
  const state = periodCoverage(period, coverage);
  if (state === 'full') return undefined;
  if (coverage.start === null || coverage.asOf === null)
    return 'no data: the data holds no dated rows for it';
  const end = addDays(coverage.asOf, 1);
  const label = spanLabel(period);
  const ends = coverage.endedTable
    ? `${coverage.endedTable} end ${coverage.asOf} (the rest of the export runs to ${coverage.exportAsOf})`
    : `the data ends ${coverage.asOf}`;
  // The KPI's own start, which may be later than the export's: the first close, not the first deal.
  const starts = `the data starts ${coverage.start}${coverage.startColumn ? ` (the first ${coverage.startColumn})` : ''}`;
  if (state === 'none')
    return period.start >= end ? `no data for ${label}: ${ends}` : `no data for ${label}: ${starts}`;
  const parts = [
    period.start < coverage.start ? starts : undefined,
    period.end > end ? ends : undefined,
  ].filter(Boolean);
  return `partial: ${parts.join(' and ')}`;
}
