// What the builders say in words: tables, alt text, default titles, and the awkward inputs
// (gaps, a single period, missing values).

import { describe, expect, it } from 'vitest';
import { buildBars } from '../../lib/charts/bars.ts';
import { buildCampaignRoiBars, formatRoi } from '../../lib/charts/campaign-roi-bars.ts';
import { buildCohortHeatmap } from '../../lib/charts/cohort-heatmap.ts';
import { buildFunnel } from '../../lib/charts/funnel.ts';
import { buildNpsDistribution } from '../../lib/charts/nps-distribution.ts';
import { buildRelationshipQuadrant } from '../../lib/charts/relationship-quadrant.ts';
import { renderSvg } from '../../lib/charts/render.ts';
import { buildSparkline } from '../../lib/charts/sparkline.ts';
import { buildStackedRevenue } from '../../lib/charts/stacked-revenue.ts';
import { buildStageDurations } from '../../lib/charts/stage-durations.ts';
import { buildTrend } from '../../lib/charts/trend.ts';
import { MONTHS, samples } from './samples.ts';
import { svgTexts } from './svg-text.ts';

describe('every chart', () => {
  it.each(samples().map((s) => [s.chart.id, s] as const))(
    '%s has a table row per data point and the key number in its alt text',
    (_, sample) => {
      const { chart } = sample;
      expect(chart.table.rows).toHaveLength(sample.rows);
      for (const row of chart.table.rows) expect(row).toHaveLength(chart.table.columns.length);
      expect(chart.alt).toContain(sample.key);
      expect(chart.alt.startsWith(chart.title)).toBe(true);
      expect(chart.id).toMatch(/^[a-z0-9-]+$/);
    },
  );
});

describe('buildTrend', () => {
  it('breaks the line at a missing period and says n/a in the table', () => {
    const chart = buildTrend({
      name: 'Close rate',
      unit: 'ratio',
      points: [
        { period: '2026-08-01', value: 0.25 },
        { period: '2026-09-01', value: null },
        { period: '2026-10-01', value: 0.27 },
      ],
    });
    expect(chart.table.rows).toEqual([
      ['Aug 2026', '25.0 %'],
      ['Sep 2026', 'n/a'],
      ['Oct 2026', '27.0 %'],
    ]);
    expect(chart.title).toBe('Close rate rose to 27.0 % in Oct 2026');
  });

  it('reports the latest period that has a value when the last one has none', () => {
    const chart = buildTrend({
      name: 'CSAT',
      unit: 'score',
      points: [
        { period: '2026-08-01', value: 4.1 },
        { period: '2026-09-01', value: 4.3 },
        { period: '2026-10-01', value: null },
      ],
    });
    expect(chart.title).toBe('CSAT rose to 4.3 in Sep 2026');
    expect(chart.alt).toContain('Sep 2026: CSAT 4.3');
  });

  it('draws a single period as a point with its label', async () => {
    const chart = buildTrend({
      name: 'NRR',
      unit: 'ratio',
      points: [{ period: '2026-10-01', value: 1.04, target: 1 }],
    });
    expect(chart.title).toBe('NRR was 104.0 % in Oct 2026');
    expect(chart.table.rows).toEqual([['Oct 2026', '104.0 %', '100.0 %']]);
    const texts = svgTexts(await renderSvg(chart));
    expect(texts).toContain('104.0 %');
    expect(texts).toContain('Target 100.0 %');
    expect(texts).toContain('Oct 2026');
  });

  it('leaves out context series that have no values', () => {
    const chart = buildTrend({
      unit: 'count',
      points: MONTHS.map((period, i) => ({ period, value: 100 + i, yearAgo: null, target: null })),
    });
    expect(chart.table.columns).toEqual(['Period', 'Value']);
    expect(chart.title).toBe('Rose to 111 in Oct 2026');
  });
});

describe('buildSparkline', () => {
  it('handles a single point and gaps', () => {
    expect(buildSparkline({ unit: 'money', points: [{ period: '2026-10-01', value: 1200 }] }).alt).toBe(
      'Last 1 period: $1,200 in Oct 2026.',
    );
    const gappy = buildSparkline({
      unit: 'count',
      title: 'Leads',
      points: [
        { period: '2026-09-01', value: null },
        { period: '2026-10-01', value: 40 },
      ],
    });
    expect(gappy.alt).toBe('Leads: 40 in Oct 2026.');
    expect(gappy.table.rows).toEqual([
      ['Sep 2026', 'n/a'],
      ['Oct 2026', '40'],
    ]);
  });
});

describe('buildBars', () => {
  it('sorts, keeps bars without a value at the end and labels values compactly', () => {
    const chart = buildBars({
      unit: 'money',
      name: 'Won revenue',
      dimension: 'Rep',
      bars: [
        { label: 'Ana', value: 120_000 },
        { label: 'Ben', value: null },
        { label: 'Cy', value: 480_500 },
      ],
    });
    expect(chart.title).toBe('Cy leads on won revenue with $480,500');
    expect(chart.table.rows).toEqual([
      ['Cy', '$480,500'],
      ['Ana', '$120,000'],
      ['Ben', 'n/a'],
    ]);
    expect(JSON.stringify(chart.spec)).toContain('"$480.5K"');
  });
});

describe('buildStackedRevenue', () => {
  it('treats a missing part as zero in the total but n/a in the table', () => {
    const chart = buildStackedRevenue({
      points: [{ period: '2026-10-01', newRevenue: null, recurringRevenue: 50_000 }],
    });
    expect(chart.table.rows).toEqual([['Oct 2026', 'n/a', '$50,000', '$50,000']]);
    expect(chart.title).toBe('Revenue $50K in Oct 2026, 100.0 % recurring');
  });
});

describe('buildFunnel', () => {
  it('computes the conversion between consecutive stages and names the weakest', () => {
    const chart = buildFunnel({
      stages: [
        { stage: 'lead', count: 200 },
        { stage: 'qualified', count: 50 },
        { stage: 'won', count: 40 },
      ],
    });
    expect(chart.title).toBe('Weakest step: lead to qualified converts 25.0 %');
    expect(chart.table.rows).toEqual([
      ['Lead', '200', ''],
      ['Qualified', '50', '25.0 %'],
      ['Won', '40', '80.0 %'],
    ]);
  });

  it('uses amounts when asked', () => {
    const chart = buildFunnel({
      measure: 'amount',
      stages: [
        { stage: 'proposal', count: 10, amount: 1_000_000 },
        { stage: 'won', count: 4, amount: 250_000 },
      ],
    });
    expect(chart.table.columns).toEqual(['Stage', 'Deals', 'Amount', 'Conversion from previous stage']);
    expect(chart.alt).toContain('Won $250K (25.0 % of the stage before)');
  });
});

describe('buildStageDurations', () => {
  it('highlights the longest stage and skips stages without exits', () => {
    const chart = buildStageDurations({
      stages: [
        { stage: 'proposal', days: 4 },
        { stage: 'negotiation', days: null },
        { stage: 'legal_review', days: 9.25 },
      ],
    });
    expect(chart.title).toBe('Deals spend longest in legal review: 9.3 days on average');
    expect(chart.table.rows).toContainEqual(['Negotiation', 'n/a']);
  });
});

describe('buildCohortHeatmap', () => {
  it('makes a row per cohort with empty cells where a month has not ended', () => {
    const chart = buildCohortHeatmap({
      cells: [
        { cohort: '2026-08', month_index: 0, retention: 1, cohort_size: 10 },
        { cohort: '2026-08', month_index: 1, retention: 0.9, cohort_size: 10 },
        { cohort: '2026-09', month_index: 0, retention: 1, cohort_size: 20 },
        { cohort: '2026-09', month_index: 1, retention: null, cohort_size: 20 },
      ],
      focusMonth: 1,
    });
    expect(chart.table.columns).toEqual(['Cohort', 'Customers', 'Month 0', 'Month 1']);
    expect(chart.table.rows).toEqual([
      ['Aug 2026', '10', '100.0 %', '90.0 %'],
      ['Sep 2026', '20', '100.0 %', ''],
    ]);
    expect(chart.title).toBe('90.0 % of customers are still active in month 1 (1 cohort)');
  });
});

describe('buildRelationshipQuadrant', () => {
  it('ignores unknown groups and computes revenue shares', () => {
    const chart = buildRelationshipQuadrant({
      groups: [
        { group: 'true_friends', customers: 1, revenue: 300 },
        { group: 'strangers', customers: 3, revenue: 100 },
        { group: 'unknown', customers: 9, revenue: 9_000 },
      ],
    });
    expect(chart.title).toBe('True friends: 1 customer brings 75.0 % of revenue');
    expect(chart.table.rows.map((r) => r[0])).toEqual(['True friends', 'Strangers']);
  });
});

describe('buildNpsDistribution', () => {
  it('derives the score from the counts', () => {
    const chart = buildNpsDistribution({ promoters: 5, passives: 3, detractors: 2 });
    expect(chart.title).toBe('NPS 30.0: 50.0 % promoters, 20.0 % detractors');
    expect(chart.table.rows).toEqual([
      ['Promoters (9–10)', '5', '50.0 %'],
      ['Passives (7–8)', '3', '30.0 %'],
      ['Detractors (0–6)', '2', '20.0 %'],
    ]);
  });
});

describe('buildCampaignRoiBars', () => {
  it('says when no campaign paid back', () => {
    const chart = buildCampaignRoiBars({ campaigns: [{ campaign: 'A', roi: -0.5 }] });
    expect(chart.title).toBe('No campaign paid back its cost; the best returned −50.0 %');
  });

  it('formats ROI with its sign', () => {
    expect([formatRoi(1.5), formatRoi(-0.25), formatRoi(0.0001), formatRoi(null)]).toEqual([
      '+150.0 %',
      '−25.0 %',
      '±0.0 %',
      'n/a',
    ]);
  });
});
