// A trend draws only values that may be compared: a period whose 12-month window starts before
// the data (CDNOW's repeat purchase rate in 1997) would draw a climb the business never had.

import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../lib/kpi/catalog.ts';
import type { ComparedRow } from '../../lib/kpi/compare.ts';
import { addMonths } from '../../lib/kpi/period.ts';
import type { KpiSeries } from '../../lib/render/content.ts';
import { trendChart } from '../../lib/report/cells/kpi-charts.ts';

const row = (period_start: string, value: number, extra: Partial<ComparedRow> = {}): ComparedRow =>
  ({
    period_start,
    period_end: addMonths(period_start, 1),
    value,
    year_ago_value: null,
    target: null,
    ...extra,
  }) as ComparedRow;

describe('a trend chart', () => {
  it('leaves out partial and mostly unknown values, but shows a partial last period under a title saying so', async () => {
    const kpi = (await readCatalog()).get('repeat_purchase_rate');
    if (!kpi) throw new Error('no repeat_purchase_rate');
    const history = [
      row('1997-07-01', 0.367, { coverage: 'partial' }),
      row('1997-08-01', 0.41, { coverage: 'partial' }),
      row('1997-09-01', 0.6, { known_share: 0.5 }),
      row('1997-10-01', 0.61),
      row('1997-11-01', 0.62, { coverage: 'partial' }),
    ];
    const series: KpiSeries = { kpi, available: true, current: history.at(-1), history };
    const chart = trendChart(series, { format: { currency: 'USD' } });
    const values = chart?.table.rows.map((r) => r[1]);
    expect(values).toEqual(['n/a', 'n/a', 'n/a', '61.0 %', '62.0 %']);
    expect(chart?.title).toBe('Repeat purchase rate: the last period is partial');
  });

  it('with nothing to draw, says why in the chart: the reason of its last period', async () => {
    const kpi = (await readCatalog()).get('first_response_hours');
    const unknown = (period: string) =>
      ({
        ...row(period, 0),
        value: null,
        unknown_note: 'first_response_at unknown for 7 of 7 tickets',
      }) as ComparedRow;
    const history = [unknown('2026-09-01'), unknown('2026-10-01')];
    const chart = trendChart(
      { kpi, available: true, current: history.at(-1), history },
      { format: { currency: 'USD' } },
    );
    expect(chart?.alt).toContain('no data: first_response_at unknown for 7 of 7 tickets');
  });

  it('says the last period is partial under a title the report gives too', async () => {
    const kpi = (await readCatalog()).get('churn_rate');
    const history = [row('2026-09-01', 0.02), row('2026-10-01', 0.01, { coverage: 'partial' })];
    const chart = trendChart(
      { kpi, available: true, current: history.at(-1), history },
      { format: { currency: 'USD' }, title: 'Logo churn by month' },
    );
    expect(chart?.title).toBe('Logo churn by month: the last period is partial');
  });

  it('draws a column alongside only where the value itself is drawn', async () => {
    const kpi = (await readCatalog()).get('first_response_hours');
    const history = [
      row('2026-08-01', 5, {
        median_hours: 3,
        known_share: 0.4,
        unknown_note: 'first_response_at unknown for 6 of 10 tickets',
      }),
      row('2026-09-01', 4, { median_hours: 2 }),
      row('2026-10-01', 4.5, { median_hours: 2.5 }),
    ];
    const chart = trendChart(
      { kpi, available: true, current: history.at(-1), history },
      { format: { currency: 'USD' }, alongside: [{ name: 'Median', field: 'median_hours' }] },
    );
    expect(chart?.table.rows.map((r) => r.slice(1))).toEqual([
      ['n/a', 'n/a'],
      ['4.0 h', '2.0 h'],
      ['4.5 h', '2.5 h'],
    ]);
    expect(chart?.caption).toContain('Not drawn: August 2026, first_response_at unknown for 6 of 10 tickets');
  });

  it('calls a last period with amounts partly unknown that, not partial', async () => {
    const kpi = (await readCatalog()).get('pipeline_created');
    const history = [
      row('2017-12-11', 300),
      row('2017-12-18', 200, {
        known_share: 0.82,
        unknown_note: 'amount known for 32 of 39 deals created only',
      }),
    ];
    const chart = trendChart(
      { kpi, available: true, current: history.at(-1), history },
      { format: { currency: 'USD' }, title: 'Pipeline created per week' },
    );
    expect(chart?.title).toBe("Pipeline created per week: the last period's value is partly unknown");
  });

  it('leaves out a period computed without a material share of its rows, and says why', async () => {
    const kpi = (await readCatalog()).get('revenue');
    const history = [
      row('2026-07-01', 100),
      row('2026-08-01', 40, { rejected_note: 'without the 38 % of orders in August 2026 rejected' }),
      row('2026-09-01', 100),
    ];
    const chart = trendChart(
      { kpi, available: true, current: history.at(-1), history },
      { format: { currency: 'USD' } },
    );
    expect(chart?.table.rows.map((r) => r[1])).toEqual(['$100.00', 'n/a', '$100.00']);
    expect(chart?.caption).toBe(
      'Not drawn: August 2026, computed without the 38 % of orders in August 2026 rejected.',
    );
  });

  it('draws periods that all lost the same table-wide share of rows, says so once, and leaves out one that lost more', async () => {
    const kpi = (await readCatalog()).get('revenue');
    const table = 'without the 9.2 % of orders rejected';
    const history = [
      row('2026-06-01', 80, { coverage: 'partial', rejected_note: table }),
      row('2026-07-01', 100, { rejected_note: table }),
      row('2026-08-01', 40, {
        rejected_note: `${table}; without the 38 % of orders in August 2026 rejected`,
      }),
      row('2026-09-01', 110, { rejected_note: table }),
      row('2026-10-01', 120, { rejected_note: table }),
    ];
    const chart = trendChart(
      { kpi, available: true, current: history.at(-1), history },
      { format: { currency: 'USD' }, title: 'Revenue by month' },
    );
    expect(chart?.table.rows.map((r) => r[1])).toEqual(['n/a', '$100.00', 'n/a', '$110.00', '$120.00']);
    expect(chart?.title).toBe('Revenue by month');
    expect(chart?.caption).toBe(
      'Every period is computed without the 9.2 % of orders rejected for data errors (pulse check lists them): a move within that share may be theirs. ' +
        'Not drawn: August 2026, computed without the 9.2 % of orders rejected; without the 38 % of orders in August 2026 rejected.',
    );
  });

  it('does not draw rows rejected in one period but not the others as if they were table-wide', async () => {
    const kpi = (await readCatalog()).get('revenue');
    const history = [
      row('2026-09-01', 100, { rejected_note: 'without the 12 % of orders in September 2026 rejected' }),
      row('2026-10-01', 100, { rejected_note: 'without the 12 % of orders in October 2026 rejected' }),
    ];
    const chart = trendChart(
      { kpi, available: true, current: history.at(-1), history },
      { format: { currency: 'USD' } },
    );
    expect(chart?.table.rows.map((r) => r[1])).toEqual(['n/a', '$100.00']);
    expect(chart?.title).toBe('Revenue: the last period lost rows to data errors');
  });
});
