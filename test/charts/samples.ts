// One realistic chart of every kind, shared by the tests: the schema check, the renders and the
// PNG dump for looking at them. `labels` are texts each chart must draw.

import { buildBars } from '../../lib/charts/bars.ts';
import { buildCampaignRoiBars } from '../../lib/charts/campaign-roi-bars.ts';
import type { Chart } from '../../lib/charts/chart.ts';
import { buildCohortHeatmap, type CohortCell } from '../../lib/charts/cohort-heatmap.ts';
import { buildFunnel } from '../../lib/charts/funnel.ts';
import { buildNpsDistribution } from '../../lib/charts/nps-distribution.ts';
import { buildRelationshipQuadrant } from '../../lib/charts/relationship-quadrant.ts';
import { buildResolutionDistribution } from '../../lib/charts/resolution-distribution.ts';
import { buildSparkline } from '../../lib/charts/sparkline.ts';
import { buildStackedRevenue } from '../../lib/charts/stacked-revenue.ts';
import { buildStageDurations } from '../../lib/charts/stage-durations.ts';
import { buildTrend } from '../../lib/charts/trend.ts';

/** Nov 2025 … Oct 2026. */
export const MONTHS = Array.from({ length: 12 }, (_, i) => {
  const month = ((i + 10) % 12) + 1;
  return `${i < 2 ? 2025 : 2026}-${String(month).padStart(2, '0')}-01`;
});

const closeRates = [0.221, 0.236, 0.239, null, 0.233, 0.236, 0.248, 0.262, 0.27, 0.269, 0.273, 0.284];

export const cohortCells: CohortCell[] = MONTHS.flatMap((start, c) => {
  const cohort = start.slice(0, 7);
  const size = 30 + ((c * 7) % 13);
  return Array.from({ length: 12 - c }, (_, m) => ({
    cohort,
    month_index: m,
    cohort_size: size,
    retention: Math.round(size * (1 - 0.035 * m - 0.004 * c * Math.min(m, 1))) / size,
  }));
});

export interface Sample {
  readonly chart: Chart;
  /** Texts drawn in the chart. */
  readonly labels: readonly string[];
  /** The number the alt text must carry. */
  readonly key: string;
  /** Rows the data table must have. */
  readonly rows: number;
}

export function samples(): Sample[] {
  return [
    {
      chart: buildSparkline({
        id: 'spark-close-rate',
        title: 'Close rate, last 12 periods',
        unit: 'ratio',
        points: MONTHS.map((period, i) => ({ period, value: closeRates[i] ?? null })),
      }),
      labels: [],
      key: '28.4 %',
      rows: 12,
    },
    {
      chart: buildTrend({
        name: 'Close rate',
        unit: 'ratio',
        points: MONTHS.map((period, i) => ({
          period,
          value: closeRates[i] ?? null,
          yearAgo: 0.2 + i * 0.003,
          target: 0.28,
        })),
      }),
      labels: [
        'Close rate rose to 28.4 % in Oct 2026',
        '28.4 %',
        'Last year 23.3 %',
        'Target 28.0 %',
        'Nov 2025',
        'Oct',
      ],
      key: '28.4 %',
      rows: 12,
    },
    {
      chart: buildTrend({
        id: 'resolution-hours-trend',
        name: 'Mean',
        title: 'Tickets take 16.1 h to resolve on average, the median ticket 6.2 h',
        unit: 'hours',
        points: MONTHS.map((period, i) => ({ period, value: 18 - i * 0.35 + (i % 3) })),
        others: [{ name: 'Median', points: MONTHS.map((period, i) => ({ period, value: 8 - i * 0.16 })) }],
      }),
      labels: ['Mean 16.1 h', 'Median 6.2 h', 'hours'],
      key: '16.1 h',
      rows: 12,
    },
    {
      chart: buildBars({
        name: 'Close rate',
        dimension: 'Channel',
        unit: 'ratio',
        highlight: 'Referral',
        bars: [
          { label: 'Outbound', value: 0.18 },
          { label: 'Referral', value: 0.34 },
          { label: 'Paid search', value: 0.22 },
          { label: 'Events', value: null },
          { label: 'Partner', value: 0.27 },
        ],
      }),
      labels: ['Referral', '34.0 %', 'Outbound', '18.0 %', 'no data'],
      key: '34.0 %',
      rows: 5,
    },
    {
      chart: buildStackedRevenue({
        points: MONTHS.map((period, i) => ({
          period,
          newRevenue: 180_000 + i * 9_000 + (i % 3) * 20_000,
          recurringRevenue: 600_000 + i * 25_000,
        })),
      }),
      labels: [
        'Revenue $1.2M in Oct 2026, 73.3 % recurring',
        'Recurring $875K',
        'New $319K',
        '$1.2M',
        '$800K',
        '$0',
      ],
      key: '$1,194,000',
      rows: 12,
    },
    {
      chart: buildFunnel({
        stages: [
          { stage: 'prospecting', count: 240, amount: 4_200_000 },
          { stage: 'qualification', count: 150, amount: 3_100_000 },
          { stage: 'proposal', count: 64, amount: 1_900_000 },
          { stage: 'negotiation', count: 41, amount: 1_400_000 },
          { stage: 'closed_won', count: 28, amount: 900_000 },
        ],
      }),
      labels: ['Prospecting', '240 deals', '↓ 62.5 %', '↓ 42.7 %', 'Closed won'],
      key: '42.7 %',
      rows: 5,
    },
    {
      chart: buildStageDurations({
        stages: [
          { stage: 'prospecting', days: 6.2, exits: 200 },
          { stage: 'qualification', days: 9.8, exits: 140 },
          { stage: 'proposal', days: 14.1, exits: 60 },
          { stage: 'negotiation', days: 21.5, exits: 40 },
        ],
      }),
      labels: [
        'Deals spend longest in negotiation: 21.5 days on average',
        'Negotiation',
        '21.5 days',
        '6.2 days',
      ],
      key: '21.5 days',
      rows: 4,
    },
    {
      chart: buildCohortHeatmap({ cells: cohortCells }),
      labels: [
        '87.9 % of customers are still active in month 3 (9 cohorts)',
        'Nov 2025',
        'Months since acquisition',
        '100 %',
        '60 %',
      ],
      key: '87.9 %',
      rows: 12,
    },
    {
      chart: buildRelationshipQuadrant({
        groups: [
          { group: 'true_friends', customers: 42, revenue: 820_000, margin_share: 0.55 },
          { group: 'butterflies', customers: 18, revenue: 310_000, margin_share: 0.24 },
          { group: 'barnacles', customers: 37, revenue: 190_000, margin_share: 0.09 },
          { group: 'strangers', customers: 55, revenue: 120_000, margin_share: 0.12 },
        ],
      }),
      labels: ['True friends', 'Butterflies', 'Barnacles', 'Strangers', '42 customers · 56.9 % of revenue'],
      key: '56.9 %',
      rows: 4,
    },
    {
      chart: buildNpsDistribution({ promoters: 130, passives: 70, detractors: 50 }),
      labels: ['NPS 32.0: 52.0 % promoters, 20.0 % detractors', 'Promoters (9–10)', '52.0 % · 130'],
      key: '32.0',
      rows: 3,
    },
    {
      chart: buildResolutionDistribution({
        buckets: [
          { bucket_label: '< 1 h', bucket_order: 1, tickets: 120 },
          { bucket_label: '1–4 h', bucket_order: 2, tickets: 310 },
          { bucket_label: '4–8 h', bucket_order: 3, tickets: 260 },
          { bucket_label: '8–24 h', bucket_order: 4, tickets: 180 },
          { bucket_label: '1–3 days', bucket_order: 5, tickets: 90 },
          { bucket_label: '> 3 days', bucket_order: 6, tickets: 40 },
        ],
      }),
      labels: [
        'The most common resolution time is 1–4 h (31.0 % of 1,000 tickets)',
        '1–4 h',
        '310',
        '> 3 days',
      ],
      key: '31.0 %',
      rows: 6,
    },
    {
      chart: buildCampaignRoiBars({
        campaigns: [
          { campaign: 'Spring webinar series', roi: 2.4, cost: 12_000, revenue: 40_800 },
          { campaign: 'Trade show Berlin', roi: -0.35, cost: 48_000, revenue: 31_200 },
          { campaign: 'Paid search Q3', roi: 0.62, cost: 30_000, revenue: 48_600 },
          { campaign: 'Partner newsletter', roi: null, cost: 0, revenue: 5_000 },
          { campaign: 'LinkedIn ads', roi: -0.8, cost: 20_000, revenue: 4_000 },
        ],
      }),
      labels: ['Spring webinar series', '+240.0 %', '−35.0 %', '−80.0 %', 'no cost'],
      key: '+240.0 %',
      rows: 5,
    },
  ];
}
