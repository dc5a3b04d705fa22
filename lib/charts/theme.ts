// The look of every chart: one font, a colour-blind-safe palette (Okabe–Ito), good in blue and
// bad in vermillion (never red against green), greys for context, and nothing that is not data.
// Sizes are set for a 600 px wide e-mail, where 12 px is the smallest text that stays legible.

import type { Config } from 'vega-lite';
import { FONT_STACK } from './fonts.ts';

/** Okabe & Ito (2008), ordered so the first colours are the most distinct. */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#56B4E9',
  '#D55E00',
  '#CC79A7',
  '#F0E442',
  '#000000',
];

export const COLORS = {
  /** A change the good way, the series that matters, a highlighted bar. */
  good: '#0072B2',
  /** A change the bad way, a loss, the bottleneck. */
  bad: '#D55E00',
  /** Bars that are not highlighted. */
  neutral: '#8FB8D8',
  /** Last year, targets and other context. */
  context: '#8A939E',
  contextLight: '#C8CED6',
  text: '#1F2933',
  secondaryText: '#52606D',
  grid: '#E6E9ED',
  axis: '#9AA5B1',
} as const;

export const SIZES = {
  title: 17,
  label: 12,
  /** Direct labels on marks. */
  mark: 12,
  titleLineHeight: 21,
  titleOffset: 14,
} as const;

/** A y axis title written across the top of the axis (`days`), not up its side. */
export const TOP_AXIS_TITLE = {
  titleAngle: 0,
  titleAlign: 'left',
  titleBaseline: 'bottom',
  titleX: 0,
  titleY: -8,
} as const;

/** A sequential, colour-blind-safe scheme for heatmaps. */
export const SEQUENTIAL_SCHEME = 'blues';

export const THEME: Config = {
  background: 'white',
  font: FONT_STACK,
  // The chart's alt text and data table describe it; per-mark ARIA attributes only add bytes.
  aria: false,
  mark: { aria: false },
  padding: { left: 4, right: 12, top: 6, bottom: 6 },
  view: { stroke: null },
  title: {
    fontSize: SIZES.title,
    fontWeight: 600,
    color: COLORS.text,
    anchor: 'start',
    frame: 'bounds',
    offset: SIZES.titleOffset,
    lineHeight: SIZES.titleLineHeight,
    subtitleFontSize: 13,
    subtitleColor: COLORS.secondaryText,
  },
  axis: {
    labelFontSize: SIZES.label,
    titleFontSize: SIZES.label,
    titleFontWeight: 400,
    labelColor: COLORS.secondaryText,
    titleColor: COLORS.secondaryText,
    domainColor: COLORS.axis,
    tickColor: COLORS.axis,
    gridColor: COLORS.grid,
    labelPadding: 6,
    titlePadding: 10,
    labelOverlap: true,
  },
  axisX: { grid: false, tickSize: 4, labelAngle: 0, labelFlush: false },
  axisY: { domain: false, ticks: false, tickCount: 5 },
  axisBand: { ticks: false, domain: false, grid: false },
  legend: {
    labelFontSize: SIZES.label,
    titleFontSize: SIZES.label,
    labelColor: COLORS.secondaryText,
    titleColor: COLORS.secondaryText,
    orient: 'top',
    symbolType: 'square',
  },
  text: { fontSize: SIZES.mark, color: COLORS.text },
  line: { strokeWidth: 2.5, strokeCap: 'round', strokeJoin: 'round' },
  point: { filled: true, size: 50 },
  bar: { color: COLORS.good, cornerRadiusEnd: 1.5 },
  rule: { color: COLORS.context },
  range: { category: PALETTE, heatmap: { scheme: SEQUENTIAL_SCHEME } },
};
