// runReport for the dev server: the same steps on a dataset and catalog the server keeps open
// between runs (lib/report/run-report.ts opens and closes its own). Keep the two in step.

import { assertNoErrors, type Dataset } from '../data/dataset.ts';
import { dataAsOf, readFreshness } from '../data/freshness.ts';
import { buildDataQuality } from '../data/quality.ts';
import { PulseError } from '../errors.ts';
import type { Catalog } from '../kpi/catalog.ts';
import { formatPeriod, type Grain, lastCompletePeriod, type PeriodSpan, step } from '../kpi/period.ts';
import { readTargets } from '../kpi/targets.ts';
import type { ReportDocument } from '../report/content.ts';
import { createContext } from '../report/context.ts';
import { createDatasetSource } from '../report/dataset-source.ts';
import type { ReportDefinition } from '../report/define.ts';
import { periodArgument, type ReportRun, type RunReportOptions } from '../report/run-report.ts';

/** What runReport takes besides the data folder and how to open it (the dataset is open). */
export type PreviewOptions = Omit<
  RunReportOptions,
  'dataDir' | 'mapping' | 'allowRejects' | 'maxRejectShare'
>;

export async function runPreview(
  definition: ReportDefinition,
  dataset: Dataset,
  catalog: Catalog,
  options: PreviewOptions,
): Promise<ReportRun> {
  assertNoErrors(dataset);
  const freshness = await readFreshness(dataset, options.now);
  const asOf = dataAsOf(freshness);
  const period = previewPeriod(definition, options.period, asOf, dataset.dataDir);
  const source = createDatasetSource(dataset, catalog, period, await readTargets(dataset));
  const periodLabel = formatPeriod(period);
  const start = step(period.start, period.grain, -1);
  const previous = formatPeriod({ start, end: period.start, grain: period.grain });
  const { context, state } = createContext(
    {
      period,
      periodLabel,
      previousLabel:
        period.grain === 'month' && start.slice(0, 4) === period.start.slice(0, 4)
          ? (previous.split(' ')[0] ?? previous)
          : previous,
      timeZone: options.timeZone,
      now: options.now,
      params: options.params ?? {},
    },
    source,
    options.onCell ?? (() => {}),
  );
  await definition.build(context);
  const document: ReportDocument = {
    name: definition.name,
    title: definition.title,
    periodLabel,
    periodStart: period.start,
    periodEnd: period.end,
    timeZone: options.timeZone,
    dataAsOf: asOf,
    generatedAt: options.now,
    summary: state.summary,
    headline: state.headline,
    changes: state.changes,
    blocks: state.blocks,
    kpiIds: [...new Set(source.shown().map((r) => r.id))].sort(),
    freshness,
    dataQuality: buildDataQuality(dataset, freshness),
    reproduce: `npx pulse report ${definition.name} --period ${periodArgument(period)}${options.timeZone === 'UTC' ? '' : ` --tz ${options.timeZone}`}`,
  };
  return { document, grain: definition.grain, numbers: source.shown(), timings: state.timings };
}

/** The period asked for, or the last complete one in the data. */
export function previewPeriod(
  definition: ReportDefinition,
  given: PeriodSpan | undefined,
  asOf: string | null,
  dataDir: string,
): PeriodSpan & { grain: Grain } {
  if (given) {
    if (given.grain !== definition.grain) {
      throw new PulseError(
        'usage',
        `the ${definition.name} report covers one ${definition.grain}; the period is a ${given.grain} (${formatPeriod(given)})`,
      );
    }
    return { ...given, grain: definition.grain };
  }
  if (asOf === null) throw new PulseError('usage', `${dataDir} holds no dated records; pick a period`);
  return { ...lastCompletePeriod(asOf, definition.grain), grain: definition.grain };
}

/** The last `count` periods of the grain up to the last complete one: the period picker. */
export function recentPeriods(
  grain: Grain,
  asOf: string | null,
  count = 24,
): { value: string; label: string }[] {
  if (asOf === null) return [];
  const last = lastCompletePeriod(asOf, grain);
  return Array.from({ length: count }, (_, i) => {
    const start = step(last.start, grain, -i);
    const span = { start, end: step(start, grain, 1), grain };
    return { value: periodArgument(span), label: formatPeriod(span) };
  });
}
