import type { DataSettings } from '../data/dataset.ts';
import { assertNoErrors, type Dataset, openDataset } from '../data/dataset.ts';
import { dataAsOf, readFreshness } from '../data/freshness.ts';
import type { Problem } from '../data/problems.ts';
import { buildDataQuality } from '../data/quality.ts';
import { scopeParams } from '../data/scope.ts';
import { PulseError } from '../errors.ts';
import { createFormatter, formatSettings } from '../format/formatter.ts';
import type { FormatOptions } from '../format/values.ts';
import { blankInputsOfRows, describeBlankInput } from '../kpi/blank-inputs.ts';
import { type Catalog, readCatalog } from '../kpi/catalog.ts';
import type { ComparedRow } from '../kpi/compare.ts';
import {
  beforeData,
  coverageNote,
  datasetCoverage,
  periodCoverage,
  uncoveredMessage,
} from '../kpi/coverage.ts';
import {
  formatPeriod,
  type Grain,
  lastCompletePeriod,
  type PeriodSpan,
  periodArgument,
  previousLabel,
} from '../kpi/period.ts';
import { readTargets } from '../kpi/targets.ts';
import type { OnProgress } from '../progress.ts';
import type { OriginFolder } from '../project.ts';
import type { ReportDocument } from '../render/content.ts';
import { describeRejectedRows } from '../render/rejected-rows.ts';
import { type CellTiming, createContext } from './context.ts';
import { createDatasetSource } from './dataset-source.ts';
import type { ReportDefinition } from './define.ts';
import { type RejectedRead, rejectedReaders } from './rejected-reads.ts';
import { checkReportParams, ownParams } from './report-params.ts';
import { reproduceCommand } from './reproduce.ts';
import { scopeNotes } from './scoped-kpis.ts';
import { staleExportNote } from './stale-export.ts';

export interface RunReportOptions {
  /** The company named before the report's title (the config's company, PULSE_COMPANY). */
  readonly company?: string;
  /** KPI folders, built-in first (lib/project.ts); default the built-in queries/. */
  readonly queryFolders?: readonly OriginFolder[];
  readonly dataDir: string;
  readonly timeZone: string;
  /** The clock (ISO instant). */
  readonly now: string;
  /** Currency and locale of every number shown (default USD, en-US). */
  readonly format?: FormatOptions;
  /** The report's period; default: the last complete one in the data. */
  readonly period?: PeriodSpan;
  /** The report's own params and the scope (region, segment, ...: see lib/data/scope.ts). */
  readonly params?: Readonly<Record<string, string>>;
  readonly onCell?: (timing: CellTiming) => void;
  /** Told as each table is read and checked and each KPI computed. */
  readonly onProgress?: OnProgress;
  /** A mapping file or preset name (--mapping). */
  readonly mapping?: string;
  /** Compute on the good rows whatever share is rejected (--allow-rejects). */
  readonly allowRejects?: boolean;
  /** Share of rejected rows accepted without allowRejects (PULSE_MAX_REJECT_SHARE). */
  readonly maxRejectShare?: number;
  /** DuckDB's memory and threads (PULSE_DUCKDB_*, or the config file's duckdb). */
  readonly engine?: DataSettings;
}

export interface ReportRun {
  readonly document: ReportDocument;
  readonly grain: Grain;
  /** Every KPI row the report was given: the numbers it can show. */
  readonly numbers: readonly ComparedRow[];
  /** The KPI definitions it ran with (the project's beside the built-in ones). */
  readonly catalog: Catalog;
  readonly timings: readonly CellTiming[];
  /** Set when the period was chosen for the user. */
  readonly periodNote?: string;
  /** The tables with rejected rows its KPIs read, each with its share (sending's limit). */
  readonly rejectedTables: readonly RejectedRead[];
}

/** Runs a report script's cells against a data folder. Writes nothing. */
export async function runReport(definition: ReportDefinition, options: RunReportOptions): Promise<ReportRun> {
  // A mistyped param fails before the data is read, not after a minute of loading.
  checkReportParams(definition, options.params ?? {});
  const catalog = await readCatalog(options.queryFolders);
  const dataset = await openDataset({
    dataDir: options.dataDir,
    timeZone: options.timeZone,
    now: options.now,
    ...(options.mapping ? { mapping: options.mapping } : {}),
    ...(options.allowRejects ? { allowRejects: true } : {}),
    ...(options.maxRejectShare ? { maxRejectShare: options.maxRejectShare } : {}),
    ...options.engine,
    scope: scopeParams(options.params ?? {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  try {
    return await runReportOn(definition, dataset, catalog, options);
  } finally {
    dataset.close();
  }
}

/** The report's cells on a dataset and catalog that are already open (the dev server keeps them). */
export async function runReportOn(
  definition: ReportDefinition,
  dataset: Dataset,
  catalog: Catalog,
  options: Omit<RunReportOptions, 'dataDir' | 'mapping' | 'allowRejects' | 'maxRejectShare'>,
): Promise<ReportRun> {
  const params = options.params ?? {};
  checkReportParams(definition, params);
  const scope = scopeParams(params);
  if (JSON.stringify(scope) !== JSON.stringify(dataset.scope?.params ?? {})) {
    // A dataset kept open for another scope (the dev preview's): read the data again, scoped.
    const scoped = await openDataset({
      dataDir: dataset.dataDir,
      timeZone: dataset.timeZone,
      now: options.now,
      ...(dataset.mapping ? { mapping: dataset.mapping } : {}),
      allowRejects: dataset.policy.allowRejects,
      maxRejectShare: dataset.policy.maxRejectShare,
      ...options.engine,
      scope,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    try {
      return await runReportOn(definition, scoped, catalog, options);
    } finally {
      scoped.close();
    }
  }
  assertNoErrors(dataset);
  const freshness = await readFreshness(dataset, options.now);
  const asOf = dataAsOf(freshness);
  const { period, note } = choosePeriod(definition, options.period, asOf, dataset.dataDir);
  // A report speaks only of a period its data covers; a period covered in part says so.
  const coverage = await datasetCoverage(dataset);
  const covered = periodCoverage(period, coverage);
  if (covered === 'none')
    throw new PulseError(
      beforeData(period, coverage) ? 'before_data' : 'no_data',
      uncoveredMessage(period, coverage),
    );
  const staleExport = staleExportNote(asOf, period, options.now, options.timeZone);
  const targets = await readTargets(dataset);
  const source = createDatasetSource(dataset, catalog, period, targets, {
    params: ownParams(params),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const periodLabel = formatPeriod(period);
  const format = createFormatter(options.format);
  const rejectedRows = describeRejectedRows(buildDataQuality(dataset, freshness), format.locale);
  const { context, state } = createContext(
    {
      period,
      periodLabel,
      previousLabel: previousLabel(period),
      timeZone: options.timeZone,
      now: options.now,
      params,
      scopeLabel: dataset.scope?.label,
      format,
      rejectedRows,
    },
    source,
    options.onCell ?? (() => {}),
  );
  await definition.build(context);
  // Columns a number shown mostly rests on blanks of, warned of as `pulse check` does, from the
  // rows of the period computed; the footer's table names no KPI, so a column read by two is one
  // row, with the more rows blank.
  const blank = blankInputsOfRows(dataset, catalog, source.shown(), {
    start: period.start,
    label: periodLabel,
  });
  const blankColumns = new Map<string, Problem>();
  for (const { column, problem } of blank)
    if (problem.count > (blankColumns.get(column)?.count ?? -1)) blankColumns.set(column, problem);
  const quality = buildDataQuality(
    {
      rejects: dataset.rejects,
      tables: dataset.tables,
      problems: [...dataset.problems, ...blankColumns.values()],
    },
    freshness,
  );
  // One label for the rejected rows wherever the document carries it.
  const dataQuality = {
    ...quality,
    ...(blank.length > 0 ? { blankInputs: blank.map((b) => describeBlankInput(b, format.locale)) } : {}),
    rejected: { ...quality.rejected, label: rejectedRows.label },
  };
  // The banner names the headline KPIs computed without the rejected rows, known only now.
  const readers = await rejectedReaders(state.headline, source.rejectedReads);
  const rejectedShown =
    readers.length > 0 ? describeRejectedRows(quality, format.locale, readers) : rejectedRows;
  const document: ReportDocument = {
    name: definition.name,
    // "Acme GmbH · CRM monthly report": the header, the browser tab and the e-mail subject.
    title: options.company ? `${options.company} · ${definition.title}` : definition.title,
    periodLabel,
    periodStart: period.start,
    periodEnd: period.end,
    timeZone: options.timeZone,
    format: formatSettings(format),
    dataAsOf: asOf,
    ...(covered === 'partial' ? { partial: coverageNote(period, coverage) } : {}),
    ...(staleExport ? { staleExport } : {}),
    generatedAt: options.now,
    summary: state.summary,
    headline: state.headline,
    ...(state.headlineGaps ? { headlineGaps: state.headlineGaps } : {}),
    changes: state.changes,
    ...(state.leadChart ? { leadChart: state.leadChart } : {}),
    blocks: state.blocks,
    kpiIds: [...new Set(source.shown().map((r) => r.id))].sort(),
    freshness,
    dataQuality,
    rejectedRows: rejectedShown,
    ...(state.subject ? { subject: state.subject } : {}),
    reproduce: reproduceCommand({
      report: definition.name,
      ...(definition.command ? { command: definition.command } : {}),
      period: periodArgument(period),
      dataDir: dataset.dataDir,
      mapping: dataset.mapping,
      allowRejects: dataset.policy.allowRejects,
      maxRejectShare: dataset.policy.maxRejectShare,
      timeZone: options.timeZone,
      params,
      format: formatSettings(format),
    }),
    ...(dataset.scope
      ? {
          scope: {
            params: dataset.scope.params,
            label: dataset.scope.label,
            ...scopeNotes(dataset.scope, source.scopeOutcomes(), {
              hasTargets: targets.length > 0,
              has: (table) => dataset.has(table),
              locale: format.locale,
            }),
          },
        }
      : {}),
  };
  return {
    document,
    grain: definition.grain,
    numbers: source.shown(),
    catalog,
    timings: state.timings,
    ...(note ? { periodNote: note } : {}),
    rejectedTables: await source.rejectedTables(),
  };
}

function choosePeriod(
  definition: ReportDefinition,
  given: PeriodSpan | undefined,
  asOf: string | null,
  dataDir: string,
): { period: PeriodSpan & { grain: Grain }; note?: string } {
  if (given) {
    if (given.grain !== definition.grain) {
      throw new PulseError(
        'usage',
        `the ${definition.name} report covers one ${definition.grain}; --period gave a ${given.grain} (${formatPeriod(given)})`,
      );
    }
    return { period: { ...given, grain: definition.grain } };
  }
  if (asOf === null) throw new PulseError('usage', `${dataDir} holds no dated records; give --period`);
  const period = lastCompletePeriod(asOf, definition.grain);
  return {
    period: { ...period, grain: definition.grain },
    note: `period: ${formatPeriod(period)}, the last complete ${definition.grain} in the data (data as of ${asOf})`,
  };
}
