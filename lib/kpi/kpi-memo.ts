// A report asks for the same KPI over overlapping periods (a 12-month sparkline, a 13-month
// trend, each with last year for comparison; a breakdown this period and the one before). A
// KPI's row for a period depends only on that period's bounds, so one run over the widest
// window answers them all: the memo widens each request to the report's window and slices.

import type { Dataset } from '../data/dataset.ts';
import type { KpiDefinition } from './definition.ts';
import { type Grain, type PeriodSpan, truncate } from './period.ts';
import { type KpiRequest, type KpiResult, runKpi } from './run.ts';

export type KpiRunner = (kpi: KpiDefinition, request: KpiRequest) => Promise<KpiResult>;

/** The span to compute instead of `span` (which it must contain), for a KPI asked `by` a breakdown or not. */
export type Widen = (span: PeriodSpan & { grain: Grain }, by: string | undefined) => PeriodSpan;

interface Entry {
  readonly span: PeriodSpan;
  readonly result: Promise<KpiResult>;
}

export function createKpiMemo(dataset: Dataset, widen: Widen): KpiRunner {
  const entries = new Map<string, Entry[]>();
  return async (kpi, request) => {
    const { span } = request;
    if (!sliceable(kpi, span)) return runKpi(dataset, kpi, request);
    const key = JSON.stringify([kpi.id, kpi.sql, request.by ?? null, request.params ?? {}, span.grain]);
    const known = entries.get(key) ?? [];
    let entry = known.find((e) => e.span.start <= span.start && span.end <= e.span.end);
    if (!entry) {
      const wide = widen(span, request.by);
      const covering = wide.start <= span.start && span.end <= wide.end && sliceable(kpi, wide);
      const run = covering ? wide : span;
      entry = { span: run, result: runKpi(dataset, kpi, { ...request, span: run }) };
      entries.set(key, [...known, entry]);
    }
    const result = await entry.result;
    if (!result.available) return result;
    const rows = result.rows.filter((r) => r.period_start >= span.start && r.period_start < span.end);
    return { ...result, rows };
  };
}

/** Rows of a series over whole periods; table-shaped KPIs and window functions may span periods. */
function sliceable(kpi: KpiDefinition, span: PeriodSpan): span is PeriodSpan & { grain: Grain } {
  if (span.grain === 'range' || kpi.unit === 'table' || /\bOVER\s*\(/i.test(kpi.sql)) return false;
  return truncate(span.start, span.grain) === span.start && truncate(span.end, span.grain) === span.end;
}
