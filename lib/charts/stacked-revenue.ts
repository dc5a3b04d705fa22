// Revenue by period as stacked bars: recurring at the base, new on top, the two parts named at
// the last bar instead of in a legend.

import type { Chart, ChartOptions } from './chart.ts';
import { spreadLabels } from './direct-labels.ts';
import { EMAIL_WIDTH, emptyChart, frameChart, titleHeight } from './frame.ts';
import { periodLabels } from './periods.ts';
import { COLORS } from './theme.ts';
import { axisFormat, DEFAULT_FORMAT, formatLabel, formatShare, formatValue, niceDomain } from './units.ts';

export interface RevenuePoint {
  /** The period's start day (YYYY-MM-DD) or a label. */
  readonly period: string;
  readonly newRevenue: number | null;
  readonly recurringRevenue: number | null;
}

export interface StackedRevenueInput extends ChartOptions {
  /** Oldest first. */
  readonly points: readonly RevenuePoint[];
}

const PARTS = [
  { key: 'recurring', name: 'Recurring', color: COLORS.good },
  { key: 'new', name: 'New', color: '#56B4E9' },
] as const;

export function buildStackedRevenue(input: StackedRevenueInput): Chart {
  const options = input.format ?? DEFAULT_FORMAT;
  const fmt = (v: number | null) => formatValue(v, 'money', options);
  const labels = periodLabels(input.points.map((p) => p.period));
  const periods = input.points.map((p, i) => {
    const recurring = p.recurringRevenue;
    const fresh = p.newRevenue;
    const total = recurring === null && fresh === null ? null : (recurring ?? 0) + (fresh ?? 0);
    return { key: labels[i]?.full ?? p.period, short: labels[i]?.short ?? p.period, recurring, fresh, total };
  });
  const latest = periods.findLast((p) => p.total !== null);
  const share = latest?.total ? (latest.recurring ?? 0) / latest.total : null;
  const title =
    input.title ??
    (latest
      ? `Revenue ${formatLabel(latest.total, 'money', options)} in ${latest.key}, ${formatShare(share, options)} recurring`
      : 'Revenue');
  const id = input.id ?? 'revenue-new-vs-recurring';
  const columns = ['Period', 'New', 'Recurring', 'Total'];
  if (!latest) return emptyChart({ ...input, id, title, columns });

  const width = input.width ?? EMAIL_WIDTH;
  const height = input.height ?? 300;
  const domain = niceDomain(
    periods.map((p) => p.total ?? 0),
    true,
  );
  const segments = periods.flatMap((p) => [
    { key: p.key, part: 'Recurring', y: 0, y2: p.recurring ?? 0, color: PARTS[0].color },
    {
      key: p.key,
      part: 'New',
      y: p.recurring ?? 0,
      y2: (p.recurring ?? 0) + (p.fresh ?? 0),
      color: PARTS[1].color,
    },
  ]);
  const ends = [
    {
      value: (latest.recurring ?? 0) / 2,
      text: `Recurring ${formatLabel(latest.recurring, 'money', options)}`,
    },
    {
      value: (latest.recurring ?? 0) + (latest.fresh ?? 0) / 2,
      text: `New ${formatLabel(latest.fresh, 'money', options)}`,
    },
  ];
  const ys = spreadLabels(ends, domain, height - titleHeight(title, width) - 50);
  const x = {
    field: 'key',
    type: 'ordinal',
    title: null,
    scale: { domain: periods.map((p) => p.key), paddingInner: 0.25, paddingOuter: 0.15 },
    axis: {
      labelExpr: `${JSON.stringify(Object.fromEntries(periods.map((p) => [p.key, p.short])))}[datum.value]`,
    },
  } as const;
  const yScale = { domain, nice: false, zero: true };
  return frameChart(
    {
      format: options,
      id,
      title,
      caption: input.caption,
      alt:
        `${title}. ${latest.key}: new ${fmt(latest.fresh)}, recurring ${fmt(latest.recurring)}, ` +
        `total ${fmt(latest.total)}.`,
      table: { columns, rows: periods.map((p) => [p.key, fmt(p.fresh), fmt(p.recurring), fmt(p.total)]) },
      width,
      height,
    },
    {
      layer: [
        {
          data: { values: segments },
          mark: { type: 'bar', cornerRadiusEnd: 0 },
          encoding: {
            x,
            y: {
              field: 'y',
              type: 'quantitative',
              title: null,
              scale: yScale,
              axis: { ...axisFormat('money', domain[1] - domain[0], options), grid: true },
            },
            y2: { field: 'y2' },
            color: { field: 'color', type: 'nominal', scale: null },
          },
        },
        {
          data: {
            values: ends.map((e, i) => ({
              key: latest.key,
              y: ys[i] ?? e.value,
              text: e.text,
              color: PARTS[i]?.color,
            })),
          },
          mark: { type: 'text', align: 'left', baseline: 'middle', dx: 4, fontWeight: 600 },
          encoding: {
            x: { ...x, bandPosition: 1 },
            y: { field: 'y', type: 'quantitative', scale: yScale },
            text: { field: 'text' },
            color: { field: 'color', type: 'nominal', scale: null },
          },
        },
      ],
    },
  );
}
