import type { Dataset } from '../data/dataset.ts';
import type { Catalog } from '../kpi/catalog.ts';
import type { ComparedRow, Target } from '../kpi/compare.ts';
import type { KpiDefinition } from '../kpi/definition.ts';
import { createKpiMemo } from '../kpi/kpi-memo.ts';
import { type Grain, type PeriodSpan, step, trailingSeries } from '../kpi/period.ts';
import { runKpiCompared } from '../kpi/run-compared.ts';
import type { OnProgress } from '../progress.ts';
import type { KpiSeries, KpiTable } from '../render/content.ts';
import type { KpiSource } from './context.ts';
import {
  createPeriodRejects,
  createRejectedReads,
  lostByPeriod,
  ownLoss,
  type RejectedRead,
  readTogether,
  withoutComparisons,
  withoutPeriodComparisons,
} from './rejected-reads.ts';
import { classifyKpi, type KpiScopeClass, type ScopeOutcome, scopedTargets } from './scoped-kpis.ts';

export interface DatasetSourceOptions {
  /** The report's own params (not the scope): each KPI gets those it declares. */
  readonly params?: Readonly<Record<string, string>>;
  /** Told as each KPI starts computing. */
  readonly onProgress?: OnProgress;
}

/**
 * Answers a report's KPI questions from a loaded dataset, once each, and remembers every row
 * it handed out: those are the numbers the report can show, written to kpis.csv and kpis.json.
 * On a scoped dataset each KPI is the scope's own, company-wide (labelled, and so are its rows)
 * or not available, as lib/report/scoped-kpis.ts decides.
 */
export function createDatasetSource(
  dataset: Dataset,
  catalog: Catalog,
  period: PeriodSpan & { grain: Grain },
  targets: readonly Target[],
  options: DatasetSourceOptions = {},
): KpiSource & {
  readonly shown: () => ComparedRow[];
  readonly scopeOutcomes: () => ScopeOutcome[];
  /** The tables with rejected rows a KPI reads (rejected-reads.ts). */
  readonly rejectedReads: (kpi: KpiDefinition) => Promise<readonly RejectedRead[]>;
  /** The tables with rejected rows any KPI the report computed reads: what sending judges. */
  readonly rejectedTables: () => Promise<readonly RejectedRead[]>;
} {
  const cache = new Map<string, Promise<unknown>>();
  let computed = 0;
  const started = (kpi: string, by?: string) =>
    options.onProgress?.({ stage: 'kpi', kpi, n: ++computed, ...(by ? { by } : {}) });
  // The report's cells ask for up to 13 periods of series (what changed), breakdowns for this
  // period and the one before, each with the same periods last year: one run each covers all.
  const run = createKpiMemo(dataset, (span, by) => ({
    start: minDay(span.start, step(period.start, period.grain, by ? -13 : -24)),
    end: maxDay(span.end, period.end),
    grain: span.grain,
  }));
  const shown = new Map<string, readonly ComparedRow[]>();
  const rejectedReads = createRejectedReads(dataset);
  const periodRejects = createPeriodRejects(dataset);
  const readByReport: Promise<readonly RejectedRead[]>[] = [];
  // A KPI reading a table that lost a material share of its rows is not compared over time.
  const withRejects = async (kpi: KpiDefinition, rows: ComparedRow[], by?: string) => {
    const reads = rejectedReads(kpi, by);
    readByReport.push(reads);
    if (kpi.unit === 'table') return rows;
    const lost = await lostByPeriod(dataset, periodRejects, kpi, await reads, rows);
    // What the report's own period lost counts toward sending as a table's share does.
    const current = rows.find((row) => row.period_start === period.start);
    const own = current && ownLoss(lost, current, kpi);
    const undated = own?.undated
      ? ` (with ${own.undated} whose date cannot be read, which may be in it)`
      : '';
    if (own)
      readByReport.push(Promise.resolve([{ ...own, table: `${own.table} in ${own.label}${undated}` }]));
    return withoutPeriodComparisons(withoutComparisons(rows, await reads), lost, kpi);
  };
  const outcomes = new Map<string, ScopeOutcome>();
  const { scope } = dataset;
  const inScopeTargets = scope ? scopedTargets(targets, scope) : targets;
  const once = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const hit = cache.get(key);
    if (hit) return hit as Promise<T>;
    const promise = work();
    cache.set(key, promise);
    return promise;
  };
  const classify = (kpi: KpiDefinition, by: string | undefined): KpiScopeClass => {
    // Data the folder lacks is said as always ("needs tickets.csv"), before any scope reason.
    if (!scope || dataMissing(dataset, kpi, by)) return { kind: 'scoped' };
    const scopeClass = classifyKpi(kpi, by, scope);
    outcomes.set(`${kpi.id}:${by ?? ''}`, { id: kpi.id, title: kpi.title, scopeClass });
    return scopeClass;
  };
  // Company-wide numbers keep the company's targets; the scope's own get the scope's.
  const targetsFor = (scopeClass: KpiScopeClass) =>
    scopeClass.kind === 'company-wide' ? targets : inScopeTargets;
  // In a scoped report every row says whose number it is (kpis.csv is read without the page).
  const label = (rows: ComparedRow[], scopeClass: KpiScopeClass): ComparedRow[] =>
    scope
      ? rows.map((row) => ({
          ...row,
          scope: scopeClass.kind === 'company-wide' ? 'company-wide' : scope.label,
        }))
      : rows;
  const wide = (scopeClass: KpiScopeClass) =>
    scopeClass.kind === 'company-wide' ? { companyWide: scopeClass.reason } : {};
  const kpiParams = (kpi: KpiDefinition, given: Readonly<Record<string, string>> | undefined) => {
    const mine = Object.entries(options.params ?? {}).filter(([name]) =>
      kpi.params.some((p) => p.name === name),
    );
    const params = { ...Object.fromEntries(mine), ...given };
    return Object.keys(params).length > 0 ? { params } : {};
  };
  // kpis.csv lists what was shown in the order it was asked for, not the order queries finished
  // in (this period's breakdown and the one before run together): the same run, the same file.
  const reserve = (key: string) => {
    if (!shown.has(key)) shown.set(key, []);
  };
  return {
    series: (id, history) =>
      once(`series:${id}:${history}`, async (): Promise<KpiSeries> => {
        const kpi = catalog.get(id);
        const scopeClass = classify(kpi, undefined);
        if (scopeClass.kind === 'unavailable') return { kpi, available: false, missing: scopeClass.missing };
        const span = trailingSeries(period.start, period.grain, history);
        const request = { span, ...kpiParams(kpi, undefined) };
        started(id);
        reserve(`series:${id}`);
        const result = await runKpiCompared(dataset, kpi, request, targetsFor(scopeClass), run);
        if (!result.available) return { kpi, available: false, missing: result.missing };
        const compared = label(await withRejects(kpi, result.compared), scopeClass);
        const current = compared.find((r) => r.period_start === period.start);
        shown.set(`series:${id}`, compared);
        return { kpi, available: true, current, history: compared, ...wide(scopeClass) };
      }),
    rows: (id, rowOptions = {}) =>
      once(`rows:${id}:${JSON.stringify(rowOptions)}`, async (): Promise<KpiTable> => {
        const kpi = catalog.get(id);
        const { by, params, previous, history, carryZeros } = rowOptions;
        const scopeClass = classify(kpi, by);
        if (scopeClass.kind === 'unavailable') return { kpi, available: false, missing: scopeClass.missing };
        const span = previous
          ? { ...period, start: step(period.start, period.grain, -1), end: period.start }
          : history
            ? trailingSeries(period.start, period.grain, history)
            : period;
        const request = { span, ...(by ? { by } : {}), ...kpiParams(kpi, params) };
        started(id, by);
        reserve(`rows:${id}:${JSON.stringify(rowOptions)}`);
        const result = await runKpiCompared(dataset, kpi, request, targetsFor(scopeClass), run, {
          ...(carryZeros ? { carryZeros } : {}),
        });
        if (!result.available) return { kpi, available: false, missing: result.missing };
        const rows = label(await withRejects(kpi, result.compared, result.by), scopeClass);
        shown.set(`rows:${id}:${JSON.stringify(rowOptions)}`, rows);
        return { kpi, available: true, ...(result.by ? { by: result.by } : {}), rows, ...wide(scopeClass) };
      }),
    shown: () => [...shown.values()].flat(),
    scopeOutcomes: () => [...outcomes.values()],
    rejectedReads: (kpi) => rejectedReads(kpi),
    rejectedTables: async () => readTogether(await Promise.all(readByReport)),
  };
}

// ISO days order as text.
function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

function maxDay(a: string, b: string): string {
  return a < b ? b : a;
}

function dataMissing(dataset: Dataset, kpi: KpiDefinition, by: string | undefined): boolean {
  const breakdown = by === undefined ? undefined : kpi.breakdowns.find((b) => b.name === by);
  return [...kpi.needs, ...(breakdown?.needs ?? [])].some((need) => {
    const [table = '', column] = need.split('.');
    return !dataset.has(table, column);
  });
}
