// `pulse check` warns about a column a KPI needs (its `known:`) that is blank on most of the rows that KPI
// reads (open deals without an amount): the KPI would say "unknown", and the fix is in the export.
// Only KPIs whose header declares `known:` are asked, once, over the whole of the data; a list with
// `known:` reads the same column as a series that is asked (tickets over SLA, SLA attainment).
// A report lists the same warnings in its footer, and its e-mail says each in a sentence.

import type { Dataset } from '../data/dataset.ts';
import type { Problem } from '../data/problems.ts';
import { DEFAULT_LOCALE, formatNumber } from '../format/values.ts';
import type { Catalog } from './catalog.ts';
import { datasetCoverage } from './coverage.ts';
import type { KpiDefinition } from './definition.ts';
import { addDays } from './period.ts';
import { type KpiRow, runKpi } from './run.ts';

/** Warn when less than this share of the rows a KPI sums has the column filled in ... */
const MOSTLY_BLANK = 0.5;
/** ... and there are enough of them to be a habit of the export, not one odd row. */
const MIN_ROWS = 5;

/** A column a KPI needs that the export mostly leaves blank. */
export interface BlankInput {
  /** The `mostly_blank` warning `pulse check` lists. */
  readonly problem: Problem;
  /** The KPI's title. */
  readonly kpi: string;
  /** `tickets.contacts` */
  readonly column: string;
  readonly blank: number;
  /** The rows the KPI reads, `noun` (`resolved tickets`). */
  readonly of: number;
  readonly noun: string;
  /** The period counted, for a report's own ("September 2026"); the whole export otherwise. */
  readonly within?: string;
}

export async function blankInputProblems(dataset: Dataset, catalog: Catalog): Promise<Problem[]> {
  return (await blankInputs(dataset, catalog)).map((b) => b.problem);
}

export async function blankInputs(dataset: Dataset, catalog: Catalog): Promise<BlankInput[]> {
  const coverage = await datasetCoverage(dataset);
  if (!coverage.start || !coverage.asOf) return [];
  const span = { start: coverage.start, end: addDays(coverage.asOf, 1), grain: 'range' as const };
  const found: BlankInput[] = [];
  for (const kpi of catalog.kpis.filter(readsKnown)) {
    const result = await runKpi(dataset, kpi, { span });
    const [row] = result.rows;
    const blank = result.available && row ? blankInput(dataset, kpi, row) : undefined;
    if (blank) found.push(blank);
  }
  return found;
}

/**
 * The same warnings for a report, from the rows of its own period it computed (no query of its
 * own, whatever the export's history): a column blank on most of what a number shown rests on.
 */
export function blankInputsOfRows(
  dataset: Pick<Dataset, 'problems' | 'tables'>,
  catalog: Catalog,
  rows: readonly KpiRow[],
  period: { readonly start: string; readonly label: string },
): BlankInput[] {
  const found = new Map<string, BlankInput>();
  for (const row of rows) {
    if (found.has(row.id) || row.period_start !== period.start || row.breakdown != null) continue;
    const kpi = catalog.kpis.find((k) => k.id === row.id);
    const blank = kpi && readsKnown(kpi) ? blankInput(dataset, kpi, row) : undefined;
    if (blank) found.set(row.id, { ...blank, within: period.label });
  }
  return [...found.values()];
}

function readsKnown(kpi: KpiDefinition): boolean {
  return kpi.known !== undefined && kpi.unit !== 'table';
}

/** The warning a row of a `known:` KPI calls for, if most of what it sums is blank. */
function blankInput(
  dataset: Pick<Dataset, 'problems' | 'tables'>,
  kpi: KpiDefinition,
  row: KpiRow,
): BlankInput | undefined {
  const known = Number(row.value_known ?? 0);
  const of = Number(row.value_of ?? 0);
  if (of < MIN_ROWS || known / of >= MOSTLY_BLANK) return undefined;
  const [what = 'value', noun = 'rows'] = (kpi.known ?? '').split(/\s+of\s+/);
  const column = kpi.needs.find((n) => n.endsWith(`.${what}`)) ?? what;
  // A column already reported as the wrong type reads as blank on every row: said once.
  if (dataset.problems.some((p) => p.rule === 'wrong_type' && `${p.table}.${p.column}` === column))
    return undefined;
  const [table = '', name] = column.split('.');
  const source = dataset.tables.find((t) => t.table === table);
  return {
    problem: {
      severity: 'warning',
      rule: 'mostly_blank',
      table,
      file: source?.path ?? table,
      ...(name ? { column: name } : {}),
      expected: `${what} filled in on most ${noun}: ${kpi.id} reads it, and it is blank on ${(of - known).toLocaleString('en-US')} of ${of.toLocaleString('en-US')}`,
      count: of - known,
      examples: [],
      hint: `${kpi.title} shows "unknown" (or the known part, marked) until the export fills in ${column}`,
    },
    kpi: kpi.title,
    column,
    blank: of - known,
    of,
    noun,
  };
}

/**
 * "First contact resolution rate reads tickets.contacts, which the export leaves blank on 8 of 12
 * resolved tickets: it shows "unknown" (or the known part, marked) until the export fills it in."
 */
export function describeBlankInput(blank: BlankInput, locale = DEFAULT_LOCALE): string {
  const within = blank.within ? ` of ${blank.within}` : '';
  return `${blank.kpi} reads ${blank.column}, which the export leaves blank on ${formatNumber(blank.blank, locale)} of ${formatNumber(blank.of, locale)} ${blank.noun}${within}: it shows "unknown" (or the known part, marked) until the export fills it in.`;
}
