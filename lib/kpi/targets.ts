import type { Dataset } from '../data/dataset.ts';
import type { Target } from './compare.ts';

/** Every row of the targets table (empty when the data has none). */
export async function readTargets(dataset: Dataset): Promise<Target[]> {
  if (!dataset.has('targets')) return [];
  const rows = await dataset.db.rows(
    `SELECT kpi, period_start::VARCHAR AS period_start, grain, target::DOUBLE AS target, segment FROM targets`,
  );
  return rows.map((r) => ({
    kpi: String(r.kpi),
    periodStart: String(r.period_start),
    grain: String(r.grain),
    target: Number(r.target),
    segment: r.segment === null ? null : String(r.segment),
  }));
}
