import { fileURLToPath } from 'node:url';
import { type Dataset, openDataset } from '../lib/data/dataset.ts';
import { type Catalog, readCatalog } from '../lib/kpi/catalog.ts';
import { type PeriodSpan, parsePeriod } from '../lib/kpi/period.ts';
import { type KpiRequest, type KpiRow, runKpi } from '../lib/kpi/run.ts';

export const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
/** The fixed clock of every test. */
export const TEST_NOW = '2026-11-15T12:00:00Z';

let catalog: Promise<Catalog> | undefined;
export function testCatalog(): Promise<Catalog> {
  catalog ??= readCatalog();
  return catalog;
}

/** Opens test/fixtures/<name> (or any folder) with the fixed clock. */
export function openFixture(name: string, timeZone = 'UTC'): Promise<Dataset> {
  const dataDir = name.startsWith('/') ? name : `${FIXTURES}/${name}`;
  return openDataset({ dataDir, now: TEST_NOW, timeZone, threads: 1 });
}

/** Rows of one KPI; `period` is a CLI period (`2026-10`) or a span. */
export async function kpiRows(
  dataset: Dataset,
  id: string,
  period: string | PeriodSpan,
  options: Omit<KpiRequest, 'span'> = {},
): Promise<KpiRow[]> {
  const span = typeof period === 'string' ? parsePeriod(period) : period;
  const result = await runKpi(dataset, (await testCatalog()).get(id), { ...options, span });
  if (!result.available) throw new Error(`${id} not available: needs ${result.missing.join(', ')}`);
  return result.rows;
}

/** The single row of a one-period KPI without breakdown. */
export async function kpiRow(dataset: Dataset, id: string, period: string | PeriodSpan): Promise<KpiRow> {
  const rows = await kpiRows(dataset, id, period);
  if (rows.length !== 1 || !rows[0]) throw new Error(`${id}: expected one row, got ${rows.length}`);
  return rows[0];
}
