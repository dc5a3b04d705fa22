// Cohort retention as a heatmap: a row per acquisition cohort, a column per month since
// acquisition, darker = more retained. Cells without a value are left out (the month has not
// ended yet), never drawn as 0. The values are written in the cells when they fit.

import type { Chart, ChartOptions } from './chart.ts';
import { EMAIL_WIDTH, emptyChart, frameChart, titleHeight } from './frame.ts';
import { plural } from './labels.ts';
import { periodLabels } from './periods.ts';
import { measureText } from './text-width.ts';
import { COLORS, SEQUENTIAL_SCHEME, SIZES } from './theme.ts';
import { DEFAULT_FORMAT, formatShare, formatValue } from './units.ts';

/** A row of the cohort_retention KPI. */
export interface CohortCell {
  /** The acquisition month, `YYYY-MM`. */
  readonly cohort: string;
  /** 0 = the acquisition month. */
  readonly month_index: number;
  /** 0..1; null or absent = no value. */
  readonly retention: number | null;
  readonly cohort_size?: number | null;
}

export interface CohortHeatmapInput extends ChartOptions {
  readonly cells: readonly CohortCell[];
  /** The month whose average retention the default title states; default 3 (or the latest there is). */
  readonly focusMonth?: number;
}

const ROW = 26;
/** Above this many cells the numbers would be a wall of text; the colour legend takes over. */
const MAX_LABELLED_CELLS = 160;

export function buildCohortHeatmap(input: CohortHeatmapInput): Chart {
  const options = input.format ?? DEFAULT_FORMAT;
  const cells = input.cells.filter((c): c is CohortCell & { retention: number } => c.retention !== null);
  const cohorts = [...new Set(input.cells.map((c) => c.cohort))].sort();
  const names = periodLabels(cohorts.map((c) => (/^\d{4}-\d{2}$/.test(c) ? `${c}-01` : c)));
  const nameOf = new Map(cohorts.map((c, i) => [c, names[i]?.full ?? c]));
  const months = Math.max(-1, ...cells.map((c) => c.month_index)) + 1;
  const focus = Math.min(input.focusMonth ?? 3, months - 1);
  const atFocus = cells.filter((c) => c.month_index === focus);
  const weight = (c: CohortCell) => c.cohort_size ?? 1;
  const total = atFocus.reduce((sum, c) => sum + weight(c), 0);
  const average = total > 0 ? atFocus.reduce((sum, c) => sum + c.retention * weight(c), 0) / total : null;
  const title =
    input.title ??
    (average === null
      ? 'Cohort retention'
      : `${formatShare(average, options)} of customers are still active in month ${focus} (${plural(atFocus.length, 'cohort', options)})`);
  const id = input.id ?? 'cohort-retention';
  const columns = [
    'Cohort',
    'Customers',
    ...Array.from({ length: Math.max(0, months) }, (_, m) => `Month ${m}`),
  ];
  if (cells.length === 0) return emptyChart({ ...input, id, title, columns });

  const width = input.width ?? EMAIL_WIDTH;
  const height = input.height ?? Math.round(titleHeight(title, width) + cohorts.length * ROW + 46);
  const axisWidth = Math.max(...[...nameOf.values()].map((n) => measureText(n, SIZES.label))) + 30;
  const cellWidth = (width - axisWidth) / months;
  const labelled = cells.length <= MAX_LABELLED_CELLS && cellWidth >= measureText('100 %', 11) + 4;
  // The colours span the retention there is (from the 10 % below the lowest up to 100 %), so
  // 60 % and 90 % do not look alike; white text on the darker half of the scale.
  const low = Math.max(0, Math.floor(Math.min(...cells.map((c) => c.retention)) * 10) / 10 - 0.1);
  const rows = cells.map((c) => ({
    cohort: nameOf.get(c.cohort) ?? c.cohort,
    month: c.month_index,
    retention: c.retention,
    text: `${Math.round(c.retention * 100)} %`,
    dark: (c.retention - low) / (1 - low || 1) >= 0.65,
  }));
  const sizeOf = new Map(input.cells.map((c) => [c.cohort, c.cohort_size ?? null]));
  const x = {
    field: 'month',
    type: 'ordinal' as const,
    title: 'Months since acquisition',
    scale: { domain: Array.from({ length: months }, (_, m) => m), paddingInner: 0.06, paddingOuter: 0 },
    axis: { orient: 'top' as const, domain: false, ticks: false, labelPadding: 4, titlePadding: 6 },
  };
  const y = {
    field: 'cohort',
    type: 'ordinal' as const,
    title: null,
    scale: { domain: [...nameOf.values()], paddingInner: 0.06, paddingOuter: 0 },
    axis: { domain: false, ticks: false, labelColor: COLORS.text },
  };
  return frameChart(
    {
      format: options,
      id,
      title,
      caption: input.caption,
      alt: `${title}. ${cohorts.length} cohorts from ${nameOf.get(cohorts[0] ?? '')} to ${nameOf.get(cohorts.at(-1) ?? '')}.`,
      table: {
        columns,
        rows: cohorts.map((cohort) => [
          nameOf.get(cohort) ?? cohort,
          formatValue(sizeOf.get(cohort) ?? null, 'count', options),
          ...Array.from({ length: months }, (_, m) => {
            const cell = cells.find((c) => c.cohort === cohort && c.month_index === m);
            return cell ? formatShare(cell.retention, options) : '';
          }),
        ]),
      },
      width,
      height,
    },
    {
      data: { values: rows },
      encoding: { x, y },
      layer: [
        {
          mark: { type: 'rect' },
          encoding: {
            color: {
              field: 'retention',
              type: 'quantitative',
              scale: { scheme: SEQUENTIAL_SCHEME, domain: [low, 1] },
              legend: labelled
                ? null
                : {
                    title: 'Retention',
                    format: '.0%',
                    orient: 'top',
                    gradientLength: 160,
                    direction: 'horizontal',
                  },
            },
          },
        },
        ...(labelled
          ? [
              {
                mark: { type: 'text' as const, fontSize: 11, baseline: 'middle' as const },
                encoding: {
                  text: { field: 'text' },
                  color: {
                    condition: { test: 'datum.dark', value: 'white' },
                    value: COLORS.text,
                  },
                },
              },
            ]
          : []),
      ],
    },
  );
}
