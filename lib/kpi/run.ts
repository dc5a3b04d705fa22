import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import type { Json } from '@duckdb/node-api';
import type { Database, Row, SqlParams } from '../data/database.ts';
import type { Dataset } from '../data/dataset.ts';
import { quoteIdent } from '../data/sql-text.ts';
import { PulseError } from '../errors.ts';
import { TOOLKIT_ROOT } from '../paths.ts';
import {
  type Coverage,
  coverageNote,
  derivedAcquisitionNote,
  kpiCoverage,
  periodCoverage,
  periodTables,
  tableStarts,
} from './coverage.ts';
import { CUSTOMER_MACROS } from './customer-sql.ts';
import { coerceParam, type KpiDefinition } from './definition.ts';
import { keptRows } from './kept-results.ts';
import { sortColumns } from './list-order.ts';
import { addDays, formatPeriod, type PeriodSpan, type SeriesGrain, step } from './period.ts';
import { PERIOD_MACROS } from './period-sql.ts';
import { withSharedState } from './shared-state.ts';
import { dataColumns, dropUnusedKeyJoins } from './unused-joins.ts';
import { valueSpan, withWindow } from './window.ts';

export interface KpiRequest {
  readonly span: PeriodSpan;
  /** A breakdown name declared by the KPI. */
  readonly by?: string;
  /** Values for the KPI's declared params, as typed on the command line. */
  readonly params?: Readonly<Record<string, string>>;
}

/**
 * Text fields the engine adds to a row about its data (coverage, unknown amounts, comparisons,
 * windows): notes on the number, never a breakdown value.
 */
export const ROW_NOTE_FIELDS: ReadonlySet<string> = new Set([
  'coverage',
  'coverage_note',
  'unknown_note',
  'comparison_note',
  'yoy_note',
  'window_start',
  'window_end',
]);

/** One period (and breakdown value) of a KPI. Ratios carry numerator and denominator. */
export interface KpiRow {
  readonly id: string;
  readonly period_start: string;
  readonly period_end: string;
  readonly value: number | null;
  readonly [column: string]: Json;
}

export type KpiResult =
  | {
      readonly kpi: KpiDefinition;
      readonly available: true;
      readonly by?: string;
      readonly rows: KpiRow[];
      /** The days the KPI's data covers; rows outside are null with a note (coverage.ts). */
      readonly coverage?: Coverage;
    }
  | {
      readonly kpi: KpiDefinition;
      readonly available: false;
      readonly missing: readonly string[];
      readonly rows: [];
    };

const prepared = new WeakSet<Database>();

/** Runs one KPI over a period series on a loaded dataset. */
export async function runKpi(dataset: Dataset, kpi: KpiDefinition, request: KpiRequest): Promise<KpiResult> {
  const breakdown = resolveBreakdown(kpi, request.by);
  const missing = [...kpi.needs, ...(breakdown?.needs ?? [])].filter((need) => {
    const [table = '', column] = need.split('.');
    return !dataset.has(table, column);
  });
  if (missing.length > 0) return { kpi, available: false, missing, rows: [] };
  const neverFilled = await neverFilledKnown(dataset, kpi);
  if (neverFilled) return { kpi, available: false, missing: [neverFilled], rows: [] };

  const params: SqlParams = {
    ...resolveParams(kpi, request.params ?? {}),
    start: request.span.start,
    end: request.span.end,
    grain: request.span.grain,
  };
  const written = kpi.sql.replaceAll(
    '{by}',
    breakdown ? `(${breakdown.expression})::VARCHAR` : 'NULL::VARCHAR',
  );
  const lean = dropUnusedKeyJoins(written, await dataColumns(dataset.db));
  // A table-shaped KPI orders its own rows; a series is ordered by period (and breakdown).
  const order =
    kpi.unit === 'table' ? '' : ` ORDER BY period_start${breakdown ? ', breakdown NULLS LAST' : ''}`;
  await definePeriodMacros(dataset.db);
  const run = (body: string) =>
    keptRows(dataset, `${WRAP_HEAD}${body}\n)${order}`, params, async () => {
      const sql = `${WRAP_HEAD}${await withSharedState(dataset.db, body, params)}\n)${order}`;
      return dataset.db.rows(sql, params);
    });
  let rows: Row[];
  try {
    // The joins are left out by the columns the data's tables have; a table `pulse kpi` left
    // closed has only the contract's, so a column of the export's own read without its alias
    // fails to bind in the lean SQL: the SQL as written runs instead (and fails on the closed
    // table, which pulse kpi then opens).
    rows = await run(lean).catch((error: unknown) => {
      if (lean === written || !/Binder Error/i.test((error as Error).message)) throw error;
      return run(written);
    });
  } catch (error) {
    const message = await locateSqlError(kpi, (error as Error).message);
    throw new PulseError('query', message, { cause: error });
  }
  const coverage = await kpiCoverage(dataset, kpi);
  const shaped = rows.map((row) => knownShare(kpi, shapeRow(kpi.id, row, breakdown?.name)));
  return {
    kpi,
    available: true,
    ...(breakdown ? { by: breakdown.name } : {}),
    rows:
      kpi.unit === 'table'
        ? windowPartial(
            markUncovered(shaped, kpi, coverage, request.span, await tableStarts(dataset, kpi)),
            kpi,
            coverage,
            request.span.grain,
          )
        : withWindow(
            kpi,
            shaped.map((row) => coverRow(row, kpi, coverage, request.span.grain, breakdown?.name)),
          ),
    coverage,
  };
}

/**
 * A list (unit table) whose `known:` column is blank on every row of its table was not exported:
 * "tickets still waiting" would be every ticket. It is then as unavailable as a missing column
 * (a series says the same per row, with value_known and value_of).
 */
async function neverFilledKnown(dataset: Dataset, kpi: KpiDefinition): Promise<string | undefined> {
  if (kpi.unit !== 'table' || !kpi.known) return undefined;
  const column = kpi.known.split(/\s+of\s+/)[0] ?? '';
  const need = kpi.needs.find((n) => n.endsWith(`.${column}`));
  const [table, name] = need?.split('.') ?? [];
  if (!need || !table || !name) return undefined;
  // Asked once per dataset: its tables do not change while it is open.
  const asked = filledCounts.get(dataset) ?? new Map<string, Promise<number>>();
  filledCounts.set(dataset, asked);
  let filled = asked.get(need);
  if (!filled) {
    filled = dataset.db
      .rows(`SELECT count(${quoteIdent(name)}) AS n FROM ${quoteIdent(table)}`)
      .then(([row]) => Number(row?.n ?? 0));
    asked.set(need, filled);
  }
  // The column is there, only empty: said so, or "needs tickets.first_response_at" reads as absent.
  return (await filled) === 0 ? `${need} filled in (blank on every row)` : undefined;
}

const filledCounts = new WeakMap<Dataset, Map<string, Promise<number>>>();

/**
 * A sum over a column with blanks says how much it knows: all blank → null with the reason, never
 * 0 ("amount unknown for 1,589 of 1,589 open deals"); some blank → the value with the share known.
 */
function knownShare(kpi: KpiDefinition, row: KpiRow): KpiRow {
  if (!kpi.known) return row;
  const known = toNumber(row.value_known ?? null);
  const of = toNumber(row.value_of ?? null);
  if (known === null || of === null || of === 0 || known >= of) return row;
  const [what = 'value', noun = 'rows'] = kpi.known.split(/\s+of\s+/);
  const counts = (n: number) => `${n.toLocaleString('en-US')} of ${of.toLocaleString('en-US')} ${noun}`;
  if (known === 0)
    return { ...row, value: null, known_share: 0, unknown_note: `${what} unknown for ${counts(of)}` };
  return { ...row, known_share: known / of, unknown_note: `${what} known for ${counts(known)} only` };
}

/**
 * A list's period outside its data is one row saying so ("no data for week of 2026-06-08: the
 * data starts ..."), in place of what its SQL made of nothing (no row: "every ticket answered";
 * a row of zeros: "0 tickets"). A period whose rows hold a number is kept: a KPI over several
 * tables starts where the last of them does, and a campaign's cost before the first lead is data.
 * Not every number is one: the columns a list sorts by place a row (bucket_order 1..7), and a
 * table that has not begun yet is an absence only when the list counts its events in the period;
 * read over a window or as a state (customers classified by their orders of the 12 months), every
 * row rests on it, and customers grouped at $0 before the first order are no data.
 */
function markUncovered(
  rows: KpiRow[],
  kpi: KpiDefinition,
  coverage: Coverage,
  span: PeriodSpan,
  starts: ReadonlyMap<string, { day: string }>,
): KpiRow[] {
  const id = kpi.id;
  const periods: PeriodSpan[] = [];
  if (span.grain === 'range') periods.push(span);
  else
    for (let start = span.start; start < span.end; start = step(start, span.grain, 1))
      periods.push({ start, end: step(start, span.grain, 1), grain: span.grain });
  const within = (row: KpiRow, p: PeriodSpan) =>
    String(row.period_start) >= p.start && String(row.period_start) < p.end;
  const places = sortColumns(kpi.sql);
  const holdsNumber = (row: KpiRow) =>
    Object.entries(row).some(
      ([key, v]) => typeof v === 'number' && v !== 0 && !places.has(key.toLowerCase()),
    );
  const counted = periodTables(kpi);
  // Every table not yet begun by the period's end is one whose events the list counts in it.
  const standsWithout = (p: PeriodSpan) =>
    [...starts].every(([table, { day }]) => day < p.end || counted.has(table));
  const empty = periods.filter(
    (p) =>
      periodCoverage(p, coverage) === 'none' &&
      !(standsWithout(p) && rows.some((row) => within(row, p) && holdsNumber(row))),
  );
  if (empty.length === 0) return rows;
  const markers: KpiRow[] = empty.map((period) => ({
    id,
    period_start: period.start,
    period_end: period.end,
    value: null,
    coverage: 'none',
    coverage_note: coverageNote(period, coverage) ?? '',
  }));
  // Stable: the rows of each period keep the order their SQL gave them.
  const kept = rows.filter((row) => !empty.some((p) => within(row, p)));
  return [...kept, ...markers].sort((a, b) =>
    String(a.period_start) < String(b.period_start)
      ? -1
      : String(a.period_start) > String(b.period_start)
        ? 1
        : 0,
  );
}

/**
 * A list over a window (relationship groups: the 12 months to the period's end) whose window
 * starts before the data says so on its rows, as a series does: five months of orders are not
 * the year its groups are named for.
 */
function windowPartial(rows: KpiRow[], kpi: KpiDefinition, coverage: Coverage, grain: SeriesGrain): KpiRow[] {
  if (!kpi.window || coverage.start === null) return rows;
  const start = coverage.start;
  return rows.map((row) => {
    if (row.coverage === 'none') return row;
    const span = valueSpan(kpi, { start: row.period_start, end: row.period_end, grain });
    return span && span.start < start
      ? {
          ...row,
          coverage: 'partial',
          coverage_note: `partial: the ${kpi.window?.months}-month window starts before the data, which starts ${start}`,
        }
      : row;
  });
}

/**
 * A row outside the data's coverage is "no data": its value and every measure null, with the
 * reason; a row covered in part keeps its value and says it is partial. What the value reads
 * beyond its period counts too: a 12-month window that starts before the data is partial, and
 * growth against a period before the data (or only partly in it) is no number at all.
 */
function coverRow(
  row: KpiRow,
  kpi: KpiDefinition,
  coverage: Coverage,
  grain: SeriesGrain,
  byName: string | undefined,
): KpiRow {
  const period = { start: row.period_start, end: row.period_end, grain };
  const own = periodCoverage(period, coverage);
  const blank = (note: string) => {
    const keep = new Set(['id', 'period_start', 'period_end', ...(byName ? [byName] : [])]);
    const kept = Object.fromEntries(Object.entries(row).map(([key, v]) => [key, keep.has(key) ? v : null]));
    return { ...kept, coverage: 'none', coverage_note: note } as unknown as KpiRow;
  };
  if (own === 'none') return blank(coverageNote(period, coverage) ?? '');
  const span = valueSpan(kpi, period);
  if (span && coverage.start !== null && span.start < coverage.start) {
    if (span.reads === 'previous')
      return blank(
        `no data for ${formatPeriod(period)}: it is compared with the period before, and the data starts ${coverage.start}`,
      );
    const ends =
      coverage.asOf !== null && period.end > addDays(coverage.asOf, 1) ? ` and ends ${coverage.asOf}` : '';
    return {
      ...row,
      coverage: 'partial',
      coverage_note: `partial: the ${kpi.window?.months}-month window starts before the data, which starts ${coverage.start}${ends}`,
    };
  }
  // Growth over the period before, of a period the data covers in part, compares part of one
  // period with the whole of the other: a fall the business never had.
  if (own === 'partial' && span?.reads === 'previous')
    return blank(
      `no data for ${formatPeriod(period)}: it is compared with the period before, and it is ${coverageNote(period, coverage)}`,
    );
  if (own === 'full' && coverage.derivedAcquisition && period.start < coverage.derivedAcquisition.until)
    return {
      ...row,
      coverage: 'partial',
      coverage_note: derivedAcquisitionNote(coverage.derivedAcquisition),
    };
  if (own === 'full') return row;
  return { ...row, coverage: own, coverage_note: coverageNote(period, coverage) ?? '' };
}

// The engine wraps a KPI's body; DuckDB's "LINE n" counts from the top of the wrapped text.
const WRAP_HEAD = `SELECT * REPLACE (period_start::DATE::VARCHAR AS period_start, period_end::DATE::VARCHAR AS period_end)
    FROM (\n`;
const WRAP_LINES = WRAP_HEAD.split('\n').length - 1;

/**
 * `queries/sales/close_rate.sql:14: Binder Error: ... LINE 14: ...`: DuckDB's line of the wrapped
 * query turned into the line of the KPI file. The body's place in the file is found again from
 * the file's header lines; when the file no longer holds the SQL that ran, no line is claimed.
 */
async function locateSqlError(kpi: KpiDefinition, message: string): Promise<string> {
  const match = /^LINE (\d+):/m.exec(message);
  const bodyLine = match ? Number(match[1]) - WRAP_LINES : 0;
  const inBody = bodyLine > 0 && bodyLine <= kpi.sql.split('\n').length;
  const firstLine = inBody ? await bodyFirstLine(kpi) : undefined;
  if (!match || firstLine === undefined) return `${kpi.file}: ${message}`;
  const line = firstLine + bodyLine - 1;
  const label = `LINE ${line}:`;
  // The caret under DuckDB's excerpt shifts by as many characters as the label grew.
  const shift = label.length - match[0].length;
  const lines = message.split('\n');
  const at = lines.findIndex((l) => l.startsWith(match[0]));
  lines[at] = label + (lines[at] ?? '').slice(match[0].length);
  const caret = lines[at + 1];
  if (caret !== undefined && /^\s*\^\s*$/.test(caret))
    lines[at + 1] = shift >= 0 ? ' '.repeat(shift) + caret : caret.slice(-shift);
  return `${kpi.file}:${line}: ${lines.join('\n')}`;
}

/** The 1-based line of the file where the KPI's SQL starts: the first line after the header. */
async function bodyFirstLine(kpi: KpiDefinition): Promise<number | undefined> {
  const path = isAbsolute(kpi.file) ? kpi.file : resolve(TOOLKIT_ROOT, kpi.file);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const index = lines.findIndex((raw) => raw.trim() !== '' && !raw.trim().startsWith('--'));
  if (index < 0 || !lines.slice(index).join('\n').trim().startsWith(kpi.sql)) return undefined;
  return index + 1;
}

/** The macros KPI SQL calls: periods (period-sql.ts), then those built on it (customer-sql.ts). */
export async function definePeriodMacros(db: Database): Promise<void> {
  if (prepared.has(db)) return;
  await db.runOwn(`${PERIOD_MACROS}${CUSTOMER_MACROS}`);
  prepared.add(db);
}

function resolveBreakdown(kpi: KpiDefinition, by: string | undefined) {
  if (by === undefined) return undefined;
  const found = kpi.breakdowns.find((b) => b.name === by);
  if (found) return found;
  const allowed = kpi.breakdowns.map((b) => b.name);
  throw new PulseError(
    'param',
    allowed.length === 0
      ? `${kpi.id} has no breakdowns; drop --by ${by}`
      : `--by "${by}" is not a breakdown of ${kpi.id}; allowed: ${allowed.join(', ')}`,
  );
}

function resolveParams(kpi: KpiDefinition, given: Readonly<Record<string, string>>): SqlParams {
  for (const name of Object.keys(given)) {
    if (!kpi.params.some((p) => p.name === name)) {
      const declared = kpi.params.map((p) => p.name);
      throw new PulseError(
        'param',
        `${kpi.id} has no parameter "${name}"; ${declared.length ? `its parameters: ${declared.join(', ')}` : 'it takes none'}`,
      );
    }
  }
  const values: SqlParams = {};
  for (const param of kpi.params) {
    const text = given[param.name];
    if (text === undefined) {
      values[param.name] = param.default;
      continue;
    }
    const coerced = coerceParam(text, param.type);
    if (!coerced.ok) throw new PulseError('param', `${kpi.id} parameter ${param.name}: ${coerced.error}`);
    values[param.name] = coerced.value;
  }
  return values;
}

function shapeRow(id: string, row: Row, byName: string | undefined): KpiRow {
  const { period_start, period_end, breakdown, value, ...rest } = row;
  const shaped: Record<string, Json> = {
    id,
    period_start: String(period_start),
    period_end: String(period_end),
  };
  if (byName) shaped[byName] = breakdown ?? null;
  shaped.value = value !== undefined ? toNumber(value) : ratio(rest.numerator, rest.denominator);
  for (const [key, extra] of Object.entries(rest)) shaped[key] = extra ?? null;
  return shaped as KpiRow;
}

/** A zero or missing denominator means "no data", never 0. */
export function ratio(numerator: Json | undefined, denominator: Json | undefined): number | null {
  const n = toNumber(numerator);
  const d = toNumber(denominator);
  return n === null || d === null || d === 0 ? null : n / d;
}

function toNumber(value: Json | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
