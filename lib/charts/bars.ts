// Values by a dimension as horizontal bars (long category names stay readable), sorted, each
// labelled with its value so no axis is needed; one bar can be highlighted. The drawing is
// shared by the stage, NPS and campaign charts through `horizontalBars`.

import type { UnitSpec } from 'vega-lite/types_unstable/spec/index.js';
import { MIN_SAMPLE } from '../kpi/sample-size.ts';
import type { Chart, ChartOptions } from './chart.ts';
import { EMAIL_WIDTH, emptyChart, frameChart, idFrom, type SpecBody, titleHeight } from './frame.ts';
import { measureText } from './text-width.ts';
import { COLORS, SIZES } from './theme.ts';
import { type ChartUnit, DEFAULT_FORMAT, formatLabel, formatValue } from './units.ts';

export interface BarDatum {
  readonly label: string;
  readonly value: number | null;
  /** How many items the value rests on (a rate's denominator); below MIN_SAMPLE it leads nothing. */
  readonly sample?: number | null;
}

// Smaller groups than MIN_SAMPLE are drawn, marked, and muted, never named the leader.
export { MIN_SAMPLE };

export interface BarsInput extends ChartOptions {
  readonly unit: ChartUnit;
  readonly bars: readonly BarDatum[];
  /** What the values are, e.g. "Close rate": the table's column and the default title. */
  readonly name?: string;
  /** What the bars are, e.g. "Channel": the table's first column. */
  readonly dimension?: string;
  /** The label of the bar to draw in full colour; the others are muted. */
  readonly highlight?: string;
  /** Whether the highlighted bar is good news (blue) or bad news (vermillion). */
  readonly highlightTone?: 'good' | 'bad';
  /** Default descending; `none` keeps the input order (stages, buckets). */
  readonly sort?: 'descending' | 'ascending' | 'none';
}

export function buildBars(input: BarsInput): Chart {
  const options = input.format ?? DEFAULT_FORMAT;
  const fmt = (v: number | null) => formatValue(v, input.unit, options);
  const columns = [input.dimension ?? 'Category', input.name ?? 'Value'];
  const sorted = sortBars(input.bars, input.sort ?? 'descending');
  const known = sorted.filter((b): b is BarDatum & { value: number } => b.value !== null);
  const top = [...known].filter((b) => !isSmall(b)).sort((a, b) => b.value - a.value)[0];
  const restsOn = top?.sample != null ? ` (n = ${formatValue(top.sample, 'count', options)})` : '';
  const title =
    input.title ??
    (top
      ? `${top.label} leads${input.name ? ` on ${input.name.toLowerCase()}` : ''} with ${fmt(top.value)}${restsOn}`
      : known.length > 0
        ? `No group has the ${MIN_SAMPLE} items a comparison needs`
        : 'No data');
  const id = input.id ?? idFrom(`${input.name ?? 'value'}-by-${input.dimension ?? 'category'}`);
  if (known.length === 0) return emptyChart({ ...input, id, title, columns });

  const highlightColor = input.highlightTone === 'bad' ? COLORS.bad : COLORS.good;
  // Bars without a value stay in the chart, saying so, rather than vanishing.
  const bars = sorted.map((b) => ({
    label: b.label,
    value: b.value ?? 0,
    text:
      b.value === null
        ? 'no data'
        : `${formatLabel(b.value, input.unit, options)}${isSmall(b) ? ` (n = ${b.sample}, too few)` : ''}`,
    missing: b.value === null,
    color:
      isSmall(b) || (input.highlight !== undefined && b.label !== input.highlight)
        ? COLORS.neutral
        : b.label === input.highlight
          ? highlightColor
          : COLORS.good,
  }));
  return horizontalBarsChart(
    {
      format: options,
      id,
      title,
      caption: input.caption,
      alt: `${title}. ${sorted.map((b) => `${b.label} ${fmt(b.value)}`).join('; ')}.`,
      table: { columns, rows: sorted.map((b) => [b.label, fmt(b.value)]) },
      width: input.width ?? EMAIL_WIDTH,
      height: input.height,
    },
    bars,
  );
}

function isSmall(bar: BarDatum): boolean {
  return bar.sample !== undefined && bar.sample !== null && bar.sample < MIN_SAMPLE;
}

export interface DrawnBar {
  readonly label: string;
  readonly value: number;
  /** The direct label at the bar's end. */
  readonly text: string;
  readonly color: string;
  /** The end label says there is no value: drawn in grey. */
  readonly missing?: boolean;
}

/** A chart of horizontal bars in the given order, each with its own colour and end label. */
export function horizontalBarsChart(
  frame: Omit<Parameters<typeof frameChart>[0], 'height'> & { height?: number | undefined },
  bars: readonly DrawnBar[],
  extra: { barStep?: number; zeroRule?: boolean } = {},
): Chart {
  const step = extra.barStep ?? 30;
  const height = frame.height ?? Math.round(titleHeight(frame.title, frame.width) + bars.length * step + 16);
  return frameChart({ ...frame, height }, horizontalBars(bars, frame.width, extra.zeroRule ?? false));
}

/** Bars whose end labels fit: the x domain leaves room for the longest label on either side. */
export function horizontalBars(bars: readonly DrawnBar[], width: number, zeroRule: boolean): SpecBody {
  const y = {
    field: 'label',
    type: 'nominal',
    title: null,
    sort: null,
    scale: { domain: bars.map((b) => b.label), paddingInner: 0.28, paddingOuter: 0.1 },
    axis: { labelLimit: 200, labelColor: COLORS.text, labelFontSize: SIZES.label + 1, labelPadding: 8 },
  } as const;
  const x = {
    field: 'value',
    type: 'quantitative' as const,
    title: null,
    axis: null,
    scale: { domain: labelRoomDomain(bars, width), nice: false, zero: false },
  };
  const label = (negative: boolean): UnitSpec<string> => ({
    transform: [{ filter: negative ? 'datum.value < 0' : 'datum.value >= 0' }],
    mark: {
      type: 'text',
      baseline: 'middle',
      align: negative ? 'right' : 'left',
      dx: negative ? -6 : 6,
      fontWeight: 600,
    },
    encoding: {
      y,
      x,
      text: { field: 'text' },
      color: { condition: { test: 'datum.missing', value: COLORS.secondaryText }, value: COLORS.text },
    },
  });
  return {
    data: { values: bars },
    layer: [
      { mark: { type: 'bar' }, encoding: { y, x, color: { field: 'color', type: 'nominal', scale: null } } },
      label(false),
      label(true),
      ...(zeroRule
        ? [
            {
              data: { values: [{ zero: 0 }] },
              mark: { type: 'rule' as const, color: COLORS.secondaryText, strokeWidth: 1 },
              encoding: { x: { field: 'zero', type: 'quantitative' as const } },
            },
          ]
        : []),
    ],
  };
}

function labelRoomDomain(bars: readonly DrawnBar[], width: number): number[] {
  const axisWidth = Math.max(0, ...bars.map((b) => measureText(b.label, SIZES.label + 1))) + 8;
  const plot = Math.max(50, width - axisWidth - 24);
  const labelWidth = (negative: boolean) =>
    Math.max(
      0,
      ...bars.filter((b) => b.value < 0 === negative).map((b) => measureText(b.text, SIZES.mark, 600) + 10),
    );
  const lo = Math.min(0, ...bars.map((b) => b.value));
  const hi = Math.max(0, ...bars.map((b) => b.value));
  const room = Math.min(0.8, (labelWidth(true) + labelWidth(false)) / plot);
  const span = (hi - lo || 1) / (1 - room);
  return [lo - (labelWidth(true) / plot) * span, hi + (labelWidth(false) / plot) * span];
}

function sortBars(bars: readonly BarDatum[], sort: 'descending' | 'ascending' | 'none'): BarDatum[] {
  if (sort === 'none') return [...bars];
  const sign = sort === 'descending' ? -1 : 1;
  // Bars without a value go last, in their input order.
  return [...bars].sort((a, b) =>
    a.value === null || b.value === null
      ? (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0)
      : sign * (a.value - b.value),
  );
}
