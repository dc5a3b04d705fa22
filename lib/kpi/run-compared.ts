import type { Dataset } from '../data/dataset.ts';
import { carryZeros } from './carry-zeros.ts';
import { type ComparedRow, compareRows, comparisonSpans, type Target } from './compare.ts';
import type { KpiDefinition } from './definition.ts';
import type { KpiRunner } from './kpi-memo.ts';
import { type KpiRequest, type KpiResult, runKpi } from './run.ts';
import { zeroWhenEmpty } from './zero-when-empty.ts';

export type ComparedResult =
  | (Extract<KpiResult, { available: true }> & { readonly compared: ComparedRow[] })
  | Extract<KpiResult, { available: false }>;

/**
 * Runs a KPI over the requested periods plus enough history for the previous period and the
 * same period last year, then attaches those and the target to each requested row. Table-shaped
 * KPIs have no single value to compare and come back as computed. With `carryZeros`, a count or
 * a sum by a breakdown follows each value: 0 where it has no row after its first (carry-zeros.ts).
 */
export async function runKpiCompared(
  dataset: Dataset,
  kpi: KpiDefinition,
  request: KpiRequest,
  targets: readonly Target[],
  run: KpiRunner = (k, r) => runKpi(dataset, k, r),
  options: { readonly carryZeros?: boolean } = {},
): Promise<ComparedResult> {
  if (kpi.unit === 'table') {
    const result = await run(kpi, request);
    return result.available ? { ...result, compared: result.rows as ComparedRow[] } : result;
  }
  const results: KpiResult[] = [];
  for (const span of comparisonSpans(request.span)) results.push(await run(kpi, { ...request, span }));
  const [first] = results;
  if (!first?.available) return first as Extract<KpiResult, { available: false }>;
  const rows = results.flatMap((r) => r.rows);
  const computed =
    options.carryZeros && first.by && (await zeroWhenEmpty(dataset.db, kpi))
      ? carryZeros(rows, first.by, request.span.start)
      : rows;
  const compared = compareRows(computed, request.span, {
    direction: kpi.direction,
    by: first.by,
    targets: targets.filter((t) => t.kpi === kpi.id),
    known: kpi.known,
  });
  return { ...first, rows: compared, compared };
}
