import type { Dataset } from '../data/dataset.ts';
import type { Catalog } from '../kpi/catalog.ts';
import type { ComparedRow, Target } from '../kpi/compare.ts';
import { createKpiMemo } from '../kpi/kpi-memo.ts';
import { type Grain, type PeriodSpan, step, trailingSeries } from '../kpi/period.ts';
import { runKpiCompared } from '../kpi/run-compared.ts';
import type { KpiSeries, KpiTable } from './content.ts';
import type { KpiSource } from './context.ts';

/**
 * Answers a report's KPI questions from a loaded dataset, once each, and remembers every row
 * it handed out: those are the numbers the report can show, written to kpis.csv and kpis.json.
 */
export function createDatasetSource(
  dataset: Dataset,
  catalog: Catalog,
  period: PeriodSpan & { grain: Grain },
  targets: readonly Target[],
): KpiSource & { readonly shown: () => ComparedRow[] } {
  const cache = new Map<string, Promise<unknown>>();
  // The report's cells ask for up to 13 periods of series (what changed), breakdowns for this
  // period and the one before, each with the same periods last year: one run each covers all.
  const run = createKpiMemo(dataset, (span, by) => ({
    start: minDay(span.start, step(period.start, period.grain, by ? -13 : -24)),
    end: maxDay(span.end, period.end),
    grain: span.grain,
  }));
  const shown = new Map<string, readonly ComparedRow[]>();
  const once = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit) return hit as Promise<T>;
    const promise = work();
    cache.set(key, promise);
    return promise;
  };
  return {
    series: (id, history) =>
      once(`series:${id}:${history}`, async (): Promise<KpiSeries> => {
        const kpi = catalog.get(id);
        const span = trailingSeries(period.start, period.grain, history);
        const result = await runKpiCompared(dataset, kpi, { span }, targets, run);
        if (!result.available) return { kpi, available: false, missing: result.missing };
        const current = result.compared.find((r) => r.period_start === period.start);
        shown.set(`series:${id}`, result.compared);
        return { kpi, available: true, current, history: result.compared };
      }),
    rows: (id, options = {}) =>
      once(`rows:${id}:${JSON.stringify(options)}`, async (): Promise<KpiTable> => {
        const kpi = catalog.get(id);
        const { by, params, previous } = options;
        const span = previous
          ? { ...period, start: step(period.start, period.grain, -1), end: period.start }
          : period;
        const request = { span, ...(by ? { by } : {}), ...(params ? { params } : {}) };
        const result = await runKpiCompared(dataset, kpi, request, targets, run);
        if (!result.available) return { kpi, available: false, missing: result.missing };
        shown.set(`rows:${id}:${JSON.stringify(options)}`, result.compared);
        return { kpi, available: true, ...(result.by ? { by: result.by } : {}), rows: result.compared };
      }),
    shown: () => [...shown.values()].flat(),
  };
}

// ISO days order as text.
function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

function maxDay(a: string, b: string): string {
  return a < b ? b : a;
}
