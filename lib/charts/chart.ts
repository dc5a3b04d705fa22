// What a chart is to the rest of the program: a Vega-Lite spec with its message, its size and the
// same data as a table for people who cannot see it. Builders make these; render.ts draws them.

import type { TopLevelSpec } from 'vega-lite';
import type { FormatOptions } from '../format/values.ts';
import type { SparklineDrawing } from './sparkline-svg.ts';

/** The data behind a chart, already formatted for people: the chart's text alternative. */
export interface ChartTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface Chart {
  /** File-safe, e.g. `close-rate-trend`. */
  readonly id: string;
  /** The message, e.g. "Close rate rose to 28.4 %". Drawn in the chart. */
  readonly title: string;
  readonly caption?: string;
  /** Alt text carrying the message and the key numbers. */
  readonly alt: string;
  readonly spec: TopLevelSpec;
  readonly table: ChartTable;
  /** The drawn size in CSS pixels, title and axes included; a PNG at scale 2 is twice this. */
  readonly width: number;
  readonly height: number;
  /**
   * The same picture as `spec`, simple enough to draw without Vega (a sparkline): renderSvg
   * draws this instead: the same SVG in microseconds instead of a Vega pipeline.
   */
  readonly drawing?: SparklineDrawing;
}

/** What every builder accepts besides its data. */
export interface ChartOptions {
  readonly id?: string;
  readonly title?: string;
  readonly caption?: string;
  readonly width?: number;
  readonly height?: number;
  /** Currency and locale of every number drawn or written (default USD, en-US): a report's `r.format`. */
  readonly format?: FormatOptions;
}
