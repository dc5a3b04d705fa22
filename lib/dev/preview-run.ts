// The dev server runs reports on a dataset and catalog it keeps open between runs: the same
// runner as `pulse report` (runReportOn), plus the period picker's choices.

import type { Dataset } from '../data/dataset.ts';
import { PulseError } from '../errors.ts';
import type { Catalog } from '../kpi/catalog.ts';
import {
  formatPeriod,
  type Grain,
  lastCompletePeriod,
  type PeriodSpan,
  periodArgument,
  step,
} from '../kpi/period.ts';
import type { ReportDefinition } from '../report/define.ts';
import { type ReportRun, type RunReportOptions, runReportOn } from '../report/run-report.ts';

/** What runReport takes besides the data folder and how to open it (the dataset is open). */
export type PreviewOptions = Omit<
  RunReportOptions,
  'dataDir' | 'mapping' | 'allowRejects' | 'maxRejectShare'
>;

export function runPreview(
  definition: ReportDefinition,
  dataset: Dataset,
  catalog: Catalog,
  options: PreviewOptions,
): Promise<ReportRun> {
  return runReportOn(definition, dataset, catalog, options);
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
