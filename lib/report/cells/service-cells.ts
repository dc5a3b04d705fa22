// Cells of the service and satisfaction section: how long resolution takes, and NPS.

import { buildNpsDistribution } from '../../charts/nps-distribution.ts';
import { buildResolutionDistribution } from '../../charts/resolution-distribution.ts';
import type { ReportContext } from '../context.ts';
import { saidNoData, trend } from './kpi-cells.ts';

/** Tickets resolved in the period by how long they took (same day, 1–3 days, ...). */
export async function resolutionDistribution(r: ReportContext): Promise<void> {
  const buckets = await r.rows('resolution_time_distribution');
  if (!buckets.available) return r.unavailable('Resolution time', buckets.missing);
  if (saidNoData(r, 'Resolution time', buckets.rows)) return;
  r.chart(
    buildResolutionDistribution({
      format: r.format,
      id: 'resolution-distribution',
      buckets: buckets.rows.map((b) => ({
        bucket_label: String(b.bucket_label),
        bucket_order: Number(b.bucket_order),
        tickets: Number(b.tickets),
      })),
    }),
  );
}

/** Promoters, passives and detractors of the period, then NPS by period. */
export async function npsBreakdown(r: ReportContext): Promise<void> {
  const nps = await r.kpi('nps');
  if (!nps.available) return r.unavailable('Net Promoter Score', nps.missing);
  if (nps.current) {
    r.chart(
      buildNpsDistribution({
        format: r.format,
        id: 'nps-distribution',
        promoters: Number(nps.current.promoters ?? 0),
        passives: Number(nps.current.passives ?? 0),
        detractors: Number(nps.current.detractors ?? 0),
        nps: nps.current.value,
      }),
    );
  }
  await trend(r, nps, { title: `NPS by ${r.period.grain}` });
}
