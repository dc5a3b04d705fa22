// A chart begins where the data does: months before the first order are no data, and drawn as
// empty bars or a gap they read as zero, or as a fall.

import { describe, expect, it } from 'vitest';
import type { ComparedRow } from '../../lib/kpi/compare.ts';
import type { KpiSeries } from '../../lib/render/content.ts';
import { fromDataStart } from '../../lib/report/cells/data-start.ts';
import { trendChart } from '../../lib/report/cells/kpi-charts.ts';
import { testCatalog } from '../helpers.ts';

const NOTE = 'the data starts 1997-01-01 (the first ordered_at in orders)';
const row = (period_start: string, value: number | null, extra: Partial<ComparedRow> = {}) =>
  ({ id: 'revenue', period_start, period_end: '', value, ...extra }) as unknown as ComparedRow;
const beforeData = (month: string) =>
  row(month, null, { coverage: 'none', coverage_note: `no data for ${month}: ${NOTE}` });

describe('charts from where the data starts', () => {
  it('leave out the periods before the data, and say why', () => {
    const history = [
      beforeData('1996-11-01'),
      beforeData('1996-12-01'),
      row('1997-01-01', 5),
      row('1997-02-01', 7),
    ];
    expect(fromDataStart(history)).toEqual({
      rows: history.slice(2),
      note: `No earlier periods: ${NOTE}.`,
    });
    // Data from the first period: nothing to leave out. No data at all: kept for "No data".
    expect(fromDataStart(history.slice(2))).toEqual({ rows: history.slice(2) });
    expect(fromDataStart(history.slice(0, 2))).toEqual({ rows: history.slice(0, 2) });
  });

  it('a trend chart draws only the periods the data reaches', async () => {
    const kpi = (await testCatalog()).get('revenue');
    const series: KpiSeries = {
      kpi,
      available: true,
      current: row('1997-02-01', 7),
      history: [
        beforeData('1996-11-01'),
        beforeData('1996-12-01'),
        row('1997-01-01', 5),
        row('1997-02-01', 7),
      ],
    };
    const chart = trendChart(series, { format: { currency: 'USD' } });
    expect(chart?.table.rows.map((r) => r[0])).toEqual(['Jan 1997', 'Feb 1997']);
    expect(chart?.caption).toBe(`No earlier periods: ${NOTE}.`);
  });
});
