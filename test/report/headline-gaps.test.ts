import { describe, expect, it } from 'vitest';
import { readCatalog } from '../../lib/kpi/catalog.ts';
import type { KpiSeries } from '../../lib/render/content.ts';
import { headlineGaps } from '../../lib/report/headline-gaps.ts';

describe('the headline KPIs that gave way', () => {
  it('say which the data cannot give, and apart which have no value in the period only', async () => {
    const catalog = await readCatalog();
    const beyond = (id: string): KpiSeries => ({
      kpi: catalog.get(id),
      available: false,
      missing: ['orders.amount'],
    });
    const empty = (id: string): KpiSeries => ({
      kpi: catalog.get(id),
      available: true,
      current: undefined,
      history: [],
    });
    const tiles = Object.assign([empty('won_revenue')], {
      unanswered: [beyond('revenue'), beyond('nps'), empty('close_rate')],
    });
    expect(headlineGaps(tiles, 'April 2026')).toBe(
      "Not in this data: Revenue and Net Promoter Score (the report's sections say what each needs). No value for April 2026: Close rate.",
    );
    expect(headlineGaps(Object.assign([empty('revenue')], { unanswered: [] }), 'April 2026')).toBeUndefined();
    expect(headlineGaps([empty('revenue')], 'April 2026')).toBeUndefined();
  });
});
