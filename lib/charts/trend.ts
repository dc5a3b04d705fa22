// A KPI over time: the series, last year's as a dashed grey line, the target as a dotted grey
// line per period (flat when it does not change; a line rather than a full-width rule so it ends
// where its label starts), each labelled at its end instead of in a legend.

import type { LayerSpec, UnitSpec } from 'vega-lite/types_unstable/spec/index.js';
import type { Chart, ChartOptions } from './chart.ts';
import { spreadLabels } from './direct-labels.ts';
import { EMAIL_WIDTH, emptyChart, frameChart, idFrom, titleHeight } from './frame.ts';
import { periodLabels } from './periods.ts';
import type { SeriesPoint } from './sparkline.ts';
import { COLORS, TOP_AXIS_TITLE } from './theme.ts';
import {
  axisFormat,
  type ChartUnit,
  DEFAULT_FORMAT,
  formatLabel,
  formatValue,
  niceDomain,
  unitTitle,
} from './units.ts';

export interface TrendPoint extends SeriesPoint {
  /** The same period a year earlier. */
  readonly yearAgo?: number | null;
  readonly target?: number | null;
}

export interface TrendInput extends ChartOptions {
  readonly unit: ChartUnit;
  /** Oldest first. `ComparedRow`s map as {period: period_start, value, yearAgo: year_ago_value, target}. */
  readonly points: readonly TrendPoint[];
  /** What the main series is, e.g. "Close rate"; used in the default title and the table. */
  readonly name?: string;
  /** More series over the same periods, e.g. the median beside the mean; drawn in other colours. */
  readonly others?: readonly { readonly name: string; readonly points: readonly SeriesPoint[] }[];
  /** Said in the chart when no period has a value; default "No data for this period". */
  readonly emptyMessage?: string;
}

type Role = 'main' | 'other' | 'last-year' | 'target';
interface Row {
  key: string;
  series: string;
  role: Role;
  value: number | null;
  isolated: boolean;
}

const OTHER_COLORS = ['#009E73', '#CC79A7', '#E69F00', '#56B4E9'];

export function buildTrend(input: TrendInput): Chart {
  const options = input.format ?? DEFAULT_FORMAT;
  const fmt = (v: number | null) => formatValue(v, input.unit, options);
  const name = input.name ?? 'Value';
  const labels = periodLabels(input.points.map((p) => p.period));
  const keys = labels.map((l, i) => l.full || String(i));
  const series: { name: string; role: Role; values: (number | null)[] }[] = [
    { name, role: 'main' as const, values: input.points.map((p) => p.value) },
    ...(input.others ?? []).map((o) => ({
      name: o.name,
      role: 'other' as const,
      values: input.points.map((p) => o.points.find((q) => q.period === p.period)?.value ?? null),
    })),
    { name: 'Last year', role: 'last-year' as const, values: input.points.map((p) => p.yearAgo ?? null) },
    { name: 'Target', role: 'target' as const, values: input.points.map((p) => p.target ?? null) },
  ].filter((s) => s.values.some((v) => v !== null));

  const main = series[0]?.role === 'main' ? series[0] : undefined;
  const latestIndex = main ? main.values.findLastIndex((v) => v !== null) : -1;
  const latest = main?.values[latestIndex] ?? null;
  const title = input.title ?? defaultTitle(input.name, main?.values ?? [], fmt, labels[latestIndex]?.full);
  const id = input.id ?? idFrom(`${input.name ?? 'trend'}-trend`);
  const columns = ['Period', ...series.map((s) => s.name)];
  if (!main || latest === null) return emptyChart({ ...input, id, title, columns }, input.emptyMessage);

  const width = input.width ?? EMAIL_WIDTH;
  const height = input.height ?? 300;
  const all = series.flatMap((s) => s.values).filter((v) => v !== null);
  const domain = niceDomain(all, Math.min(...all) >= 0 && Math.min(...all) <= 0.5 * Math.max(...all));

  const rows: Row[] = series.flatMap((s) =>
    s.values.map((value, i) => ({
      key: keys[i] ?? '',
      series: s.name,
      role: s.role,
      value,
      isolated: value !== null && (s.values[i - 1] ?? null) === null && (s.values[i + 1] ?? null) === null,
    })),
  );
  const ends = series.map((s) => {
    const i = s.values.findLastIndex((v) => v !== null);
    const value = s.values[i] ?? 0;
    const text =
      s.role === 'main' && series.every((o) => o.role !== 'other')
        ? formatLabel(value, input.unit, options)
        : `${s.name} ${formatLabel(value, input.unit, options)}`;
    return { key: keys[i] ?? '', role: s.role, series: s.name, value, text };
  });
  const plotHeight = height - titleHeight(title, width) - 60;
  const labelYs = spreadLabels(ends, domain, plotHeight);

  const shortByKey = Object.fromEntries(keys.map((k, i) => [k, labels[i]?.short ?? k]));
  const x = {
    field: 'key',
    type: 'ordinal',
    title: null,
    scale: { type: 'point', domain: keys, padding: 0.4 },
    axis: { labelExpr: `${JSON.stringify(shortByKey)}[datum.value]` },
  } as const;
  const y = {
    field: 'value',
    type: 'quantitative',
    title: unitTitle(input.unit),
    scale: { domain, nice: false, zero: false },
    axis: { ...axisFormat(input.unit, domain[1] - domain[0], options), ...TOP_AXIS_TITLE, grid: true },
  } as const;
  const color = (role: Role, name: string) =>
    role === 'main'
      ? COLORS.good
      : role === 'other'
        ? (OTHER_COLORS[(input.others ?? []).findIndex((o) => o.name === name) % OTHER_COLORS.length] ??
          COLORS.context)
        : COLORS.context;
  const endRows = ends.map((e, i) => ({
    ...e,
    labelY: labelYs[i] ?? e.value,
    color: e.role === 'main' || e.role === 'other' ? color(e.role, e.series) : COLORS.secondaryText,
  }));
  const seriesNames = series.map((s) => s.name);
  const colorScale = { domain: seriesNames, range: series.map((s) => color(s.role, s.name)) };
  const byRole = (...roles: Role[]) => ({
    filter: roles.map((r) => `datum.role === '${r}'`).join(' || '),
  });
  const line = (roles: Role[], strokeDash: number[], strokeWidth: number): UnitSpec<string> => ({
    transform: [byRole(...roles)],
    mark: { type: 'line', strokeDash, strokeWidth },
    encoding: {
      x,
      y,
      color: { field: 'series', type: 'nominal', scale: colorScale, legend: null },
      detail: { field: 'series' },
    },
  });
  const has = (role: Role) => series.some((s) => s.role === role);
  // Layers that would draw nothing are left out: each costs Vega a dataflow branch, and the
  // scales' domains are explicit, so the picture is the same without them.
  const layer: LayerSpec<string>['layer'] = [
    ...(has('target') ? [line(['target'], [2, 3], 1.75)] : []),
    ...(has('last-year') ? [line(['last-year'], [6, 4], 2)] : []),
    line(['other', 'main'], [1, 0], 2.5),
    ...(rows.some((r) => r.isolated)
      ? [
          {
            // A value with no neighbour draws no line; without a point it would not show at all.
            transform: [{ filter: 'datum.isolated' }],
            mark: { type: 'point' as const, size: 40 },
            encoding: {
              x,
              y,
              color: { field: 'series', type: 'nominal' as const, scale: colorScale, legend: null },
            },
          },
        ]
      : []),
    {
      data: { values: endRows.filter((e) => e.role === 'main') },
      mark: { type: 'point', size: 64, color: COLORS.good, opacity: 1, stroke: 'white', strokeWidth: 1.5 },
      encoding: { x, y },
    },
    {
      data: { values: endRows },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 8, fontWeight: 600 },
      encoding: {
        x,
        y: { ...y, field: 'labelY' },
        text: { field: 'text' },
        color: { field: 'color', type: 'nominal', scale: null },
      },
    },
  ];

  return frameChart(
    {
      format: options,
      id,
      title,
      caption: input.caption,
      alt: trendAlt(
        title,
        series,
        labels.map((l) => l.full),
        latestIndex,
        fmt,
      ),
      table: {
        columns,
        rows: keys.map((k, i) => [k, ...series.map((s) => fmt(s.values[i] ?? null))]),
      },
      width,
      height,
    },
    { data: { values: rows }, layer },
  );
}

function defaultTitle(
  name: string | undefined,
  values: readonly (number | null)[],
  fmt: (v: number) => string,
  period: string | undefined,
): string {
  const known = values.filter((v) => v !== null);
  const last = known.at(-1);
  const previous = known.at(-2);
  if (last === undefined) return name ?? 'Trend';
  const when = period ? ` in ${period}` : '';
  const verb =
    previous === undefined || fmt(previous) === fmt(last)
      ? `${previous === undefined ? 'was' : 'held at'}`
      : last > previous
        ? 'rose to'
        : 'fell to';
  const sentence = `${verb} ${fmt(last)}${when}`;
  return name ? `${name} ${sentence}` : sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function trendAlt(
  title: string,
  series: readonly { name: string; role: Role; values: readonly (number | null)[] }[],
  periods: readonly string[],
  latestIndex: number,
  fmt: (v: number | null) => string,
): string {
  const main = series[0];
  const parts = series.map(
    (s) => `${s.role === 'main' ? s.name : s.name.toLowerCase()} ${fmt(s.values[latestIndex] ?? null)}`,
  );
  const known = (main?.values ?? []).filter((v) => v !== null);
  const range =
    known.length > 1
      ? ` Over ${periods.length} periods: low ${fmt(Math.min(...known))}, high ${fmt(Math.max(...known))}.`
      : '';
  return `${title}. ${periods[latestIndex]}: ${parts.join(', ')}.${range}`;
}
