// Cells of the CRM adoption and data quality section.

import type { ReportContext } from '../context.ts';
import { breakdownBars, numberOrNull } from './kpi-charts.ts';

const FIELDS = ['email', 'phone', 'segment', 'industry', 'owner', 'valid_email'];

/** The share of customer records with each field filled, the emptiest marked. */
export async function fieldCompleteness(r: ReportContext): Promise<void> {
  const completeness = await r.kpi('data_completeness');
  if (!completeness.available) return r.unavailable('Customer record completeness', completeness.missing);
  const row = completeness.current;
  if (!row) return;
  r.chart(
    breakdownBars(
      {
        kpi: completeness.kpi,
        available: true,
        by: 'field',
        rows: FIELDS.map((f) => ({
          ...row,
          field: f.replace('_', ' '),
          value: numberOrNull(row[`${f}_rate`]),
        })),
      },
      {
        format: r.format,
        dimension: 'Field',
        highlight: 'min',
        title: 'Customer records: share with each field filled',
        unit: 'ratio',
      },
    ),
  );
}
