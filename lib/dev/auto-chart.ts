// The scratchpad's automatic chart, chosen from the result's column types: a line over time
// when a date column varies (one line per category, up to a few), bars by a text column
// otherwise, nothing when there is no number to draw. Pure.

import type { Json } from '@duckdb/node-api';
import type { Chart } from '../charts/chart.ts';
import { frameChart, idFrom } from '../charts/frame.ts';
import { COLORS, PALETTE } from '../charts/theme.ts';
import { isNumericType, type ResultColumn, showCell } from './result-table.ts';

const MAX_BARS = 30;
const MAX_LINES = 8;
const WIDTH = 640;

export function buildAutoChart(
  columns: readonly ResultColumn[],
  rows: readonly Readonly<Record<string, Json>>[],
): Chart | undefined {
  const numeric = columns.filter(
    (c) => isNumericType(c.type) && !/^(id|.*_id)$/.test(c.name) && rows.some((r) => r[c.name] !== null),
  );
  const value = numeric.find((c) => c.name === 'value') ?? numeric[0];
  if (!value || rows.length < 2) return undefined;
  const isDate = (c: ResultColumn) =>
    /^(DATE|TIMESTAMP)/.test(c.type) ||
    (c.type === 'VARCHAR' &&
      rows.every((r) => r[c.name] === null || /^\d{4}-\d{2}-\d{2}/.test(String(r[c.name]))));
  const distinct = (c: ResultColumn) => new Set(rows.map((r) => String(r[c.name]))).size;
  const temporal = columns.find(isDate);
  // A category that varies: a constant column (a KPI's id) says nothing.
  const text = columns.find(
    (c) => !isDate(c) && !isNumericType(c.type) && c.type !== 'BOOLEAN' && distinct(c) > 1,
  );
  if (temporal && distinct(temporal) > 1) {
    const series = text && distinct(text) <= MAX_LINES ? text : undefined;
    return lineChart(temporal, value, series, rows);
  }
  if (text) return barChart(text, value, rows);
  return undefined;
}

function lineChart(
  x: ResultColumn,
  y: ResultColumn,
  series: ResultColumn | undefined,
  rows: readonly Readonly<Record<string, Json>>[],
): Chart {
  const values = rows
    .filter((r) => r[x.name] !== null)
    .map((r) => ({
      x: String(r[x.name]).slice(0, 19),
      y: toNumber(r[y.name]),
      ...(series ? { s: showCell(r[series.name]) } : {}),
    }));
  const title = `${y.name} by ${x.name}${series ? ` and ${series.name}` : ''}`;
  return frameChart(
    {
      id: idFrom(title),
      title,
      alt: `Line chart of ${title}, ${values.length} points.`,
      table: tableOf([x.name, ...(series ? [series.name] : []), y.name], values),
      width: WIDTH,
      height: 300,
    },
    {
      data: { values },
      mark: { type: 'line', point: true, ...(series ? {} : { color: COLORS.good }) },
      encoding: {
        x: {
          field: 'x',
          type: 'temporal',
          title: null,
          scale: { type: 'utc' },
          axis: { format: '%Y-%m-%d' },
        },
        y: { field: 'y', type: 'quantitative', title: y.name },
        ...(series
          ? { color: { field: 's', type: 'nominal', title: series.name, scale: { range: [...PALETTE] } } }
          : {}),
      },
    },
  );
}

function barChart(x: ResultColumn, y: ResultColumn, rows: readonly Readonly<Record<string, Json>>[]): Chart {
  const values = rows.slice(0, MAX_BARS).map((r) => ({ x: showCell(r[x.name]), y: toNumber(r[y.name]) }));
  const title = `${y.name} by ${x.name}${rows.length > MAX_BARS ? `, first ${MAX_BARS} rows` : ''}`;
  return frameChart(
    {
      id: idFrom(title),
      title,
      alt: `Bar chart of ${title}.`,
      table: tableOf([x.name, y.name], values),
      width: WIDTH,
      height: Math.max(120, 60 + values.length * 22),
    },
    {
      data: { values },
      mark: { type: 'bar', color: COLORS.good },
      encoding: {
        y: { field: 'x', type: 'nominal', sort: null, title: null },
        x: { field: 'y', type: 'quantitative', title: y.name },
      },
    },
  );
}

function tableOf(columns: string[], values: readonly Record<string, string | number | null>[]) {
  const keys = values[0] && 's' in values[0] ? ['x', 's', 'y'] : ['x', 'y'];
  return { columns, rows: values.map((v) => keys.map((k) => showCell(v[k]))) };
}

function toNumber(value: Json | undefined): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
