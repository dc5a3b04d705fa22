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
    // One reason for all of them, said once.
    const starts = 'the data starts 2017-03-01 (the first closed_at in opportunities)';
    const outside = (id: string): KpiSeries => {
      const row = {
        id,
        period_start: '2016-12-01',
        period_end: '2017-01-01',
        value: null,
        coverage: 'none',
        coverage_note: `no data for December 2016: ${starts}`,
      };
      const compared = { ...row, previous_value: null, change: null, relative_change: null };
      const none = {
        change_is_good: null,
        year_ago_value: null,
        yoy_change: null,
        yoy_relative_change: null,
      };
      const current = {
        ...compared,
        ...none,
        yoy_is_good: null,
        target: null,
        attainment: null,
        on_track: null,
      };
      return { kpi: catalog.get(id), available: true, current, history: [current] };
    };
    const young = Object.assign([empty('open_pipeline')], {
      unanswered: [beyond('revenue'), outside('close_rate'), outside('won_revenue')],
    });
    expect(headlineGaps(young, 'December 2016')).toBe(
      `Not in this data: Revenue (the report's sections say what each needs). No value for December 2016: Close rate and Won revenue; ${starts}.`,
    );
    expect(headlineGaps([empty('revenue')], 'April 2026')).toBeUndefined();
  });
});
