// A tile's sparkline: the last periods as a small line with no axes, the latest value marked
// (when known).
// The numbers live in the alt text and the table; the picture only shows the shape.

import type { Chart, ChartOptions } from './chart.ts';
import { emptyChart, frameChart } from './frame.ts';
import { plural } from './labels.ts';
import { periodLabels } from './periods.ts';
import type { SparklineDrawing } from './sparkline-svg.ts';
import { COLORS, THEME } from './theme.ts';
import { type ChartUnit, DEFAULT_FORMAT, formatValue } from './units.ts';

export interface SeriesPoint {
  /** The period's start day (YYYY-MM-DD) or a label. */
  readonly period: string;
  readonly value: number | null;
}

export interface SparklineInput extends ChartOptions {
  readonly unit: ChartUnit;
  /** Oldest first; typically 12. */
  readonly points: readonly SeriesPoint[];
}

export function buildSparkline(input: SparklineInput): Chart {
  const id = input.id ?? 'sparkline';
  const options = input.format ?? DEFAULT_FORMAT;
  const title = input.title ?? `Last ${plural(input.points.length, 'period', options)}`;
  const width = input.width ?? 140;
  const height = input.height ?? 36;
  const labels = periodLabels(input.points.map((p) => p.period));
  const rows = input.points.map((p, i) => ({ key: labels[i]?.full ?? p.period, value: p.value }));
  const known = rows.filter((r): r is { key: string; value: number } => r.value !== null);
  const last = known.at(-1);
  const first = known[0];
  if (!last || !first)
    return emptyChart({ ...input, id, title, width, height, columns: ['Period', 'Value'] });
  // The dot marks the latest period, and only when its value is known: a dot on an earlier
  // one would pass it off as the latest.
  const latest = rows.at(-1);
  const latestUnknown = latest && latest.value === null ? ` ${latest.key}: no whole value.` : '';

  const values = known.map((r) => r.value);
  const fmt = (v: number) => formatValue(v, input.unit, options);
  const alt =
    known.length === 1
      ? `${title}: ${fmt(last.value)} in ${last.key}.`
      : `${title}: from ${fmt(first.value)} in ${first.key} to ${fmt(last.value)} in ${last.key}; ` +
        `low ${fmt(Math.min(...values))}, high ${fmt(Math.max(...values))}.`;
  const altText = `${alt}${latestUnknown}`;
  const line = { color: COLORS.secondaryText, width: 1.75 };
  const marker = { color: COLORS.good, size: 36 };
  const chart = frameChart(
    {
      format: options,
      id,
      title,
      caption: input.caption,
      alt: altText,
      table: {
        columns: ['Period', 'Value'],
        rows: rows.map((r) => [r.key, formatValue(r.value, input.unit, options)]),
      },
      width,
      height,
    },
    {
      padding: PADDING,
      data: { values: rows },
      encoding: {
        x: { field: 'key', type: 'ordinal', sort: null, axis: null, scale: { type: 'point', padding: 0 } },
        y: { field: 'value', type: 'quantitative', axis: null, scale: { zero: false, nice: false } },
      },
      layer: [
        { mark: { type: 'line', color: line.color, strokeWidth: line.width } },
        {
          transform: [
            { filter: `datum.key === ${JSON.stringify(latest?.key ?? '')} && isValid(datum.value)` },
          ],
          mark: { type: 'point', color: marker.color, size: marker.size, filled: true, opacity: 1 },
        },
      ],
    },
    { showTitle: false },
  );
  // The direct drawing covers the usual series; anything unusual (repeated labels, which Vega
  // would merge into one x position, or values that are not finite) is left to Vega.
  const plain =
    new Set(rows.map((r) => r.key)).size === rows.length &&
    rows.every((r) => r.value === null || Number.isFinite(r.value));
  if (!plain || typeof THEME.background !== 'string') return chart;
  const drawing: SparklineDrawing = {
    width,
    height,
    padding: PADDING,
    values: rows.map((r) => r.value),
    marked: rows.length - 1,
    line,
    marker,
    background: THEME.background,
  };
  return { ...chart, drawing };
}

const PADDING = 5;
