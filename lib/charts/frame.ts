// What every chart shares: the title wrapped to the chart's width, the size (autosize `fit`, so
// the drawn SVG is exactly width × height with title and axes inside), the theme, and the
// chart that says "no data" instead of drawing an empty frame.

import type { TopLevelSpec } from 'vega-lite';
import type { FormatOptions } from '../format/values.ts';
import type { Chart, ChartOptions, ChartTable } from './chart.ts';
import { measureText } from './text-width.ts';
import { COLORS, SIZES, THEME } from './theme.ts';
import { vegaLocale } from './units.ts';

export const EMAIL_WIDTH = 600;

/** The parts of a spec that draw data: everything but title, size and config. */
export type SpecBody = TopLevelSpec extends infer S
  ? S extends unknown
    ? Omit<S, 'title' | 'width' | 'height' | 'autosize' | 'config' | '$schema'>
    : never
  : never;

export interface Frame {
  readonly id: string;
  readonly title: string;
  readonly caption?: string | undefined;
  readonly alt: string;
  readonly table: ChartTable;
  readonly width: number;
  readonly height: number;
  /** Digits on axes follow this locale (a chart's own labels are formatted by its builder). */
  readonly format?: FormatOptions | undefined;
}

/** Puts a spec body into a chart of the given size with the house theme. */
export function frameChart(frame: Frame, body: SpecBody, options: { showTitle?: boolean } = {}): Chart {
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.showTitle === false ? {} : { title: { text: wrapTitle(frame.title, frame.width - 16) } }),
    width: frame.width,
    height: frame.height,
    autosize: { type: 'fit', contains: 'padding' },
    config: withLocale(frame.format),
    ...body,
  } as TopLevelSpec;
  return {
    id: frame.id,
    title: frame.title,
    ...(frame.caption ? { caption: frame.caption } : {}),
    alt: frame.alt,
    spec,
    table: frame.table,
    width: frame.width,
    height: frame.height,
  };
}

function withLocale(format: FormatOptions | undefined) {
  const locale = format ? vegaLocale(format) : undefined;
  return locale ? { ...THEME, locale } : THEME;
}

/** Splits a title into lines that fit the width; one line stays a string. */
export function wrapTitle(title: string, width: number): string | string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of title.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && measureText(candidate, SIZES.title, 600) > width) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines.length <= 1 ? (lines[0] ?? '') : lines;
}

/** Title lines × line height: what the title takes from the chart's height. */
export function titleHeight(title: string, width: number): number {
  const lines = wrapTitle(title, width - 16);
  return (Array.isArray(lines) ? lines.length : 1) * SIZES.titleLineHeight + SIZES.titleOffset;
}

/** A chart that says there is nothing to draw, with the same title, size and an empty table. */
export function emptyChart(
  options: ChartOptions & { id: string; title: string; columns: readonly string[] },
  message = 'No data for this period',
): Chart {
  const width = options.width ?? EMAIL_WIDTH;
  const height = options.height ?? 120;
  const small = width < 200;
  return frameChart(
    {
      id: options.id,
      title: options.title,
      caption: options.caption,
      alt: `${options.title}: ${message.toLowerCase()}.`,
      table: { columns: options.columns, rows: [] },
      width,
      height,
    },
    {
      data: { values: [{ message: small ? 'No data' : message }] },
      mark: {
        type: 'text',
        color: COLORS.secondaryText,
        fontSize: small ? 11 : 14,
        align: 'center',
        baseline: 'middle',
      },
      encoding: {
        text: { field: 'message', type: 'nominal' },
        x: { value: width / 2 },
        y: { value: small ? height / 2 : (height - titleHeight(options.title, width)) / 2 },
      },
    },
    { showTitle: !small },
  );
}

/** The default id of a chart: its title in kebab case. */
export function idFrom(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'chart'
  );
}
