// The pipeline by stage as a funnel: one centred bar per stage in stage order, the number at
// each bar's end and the conversion from the stage before in the gap above it. Conversion is
// this stage's number ÷ the previous stage's, so pass the deals that reached each stage.

import type { UnitSpec } from 'vega-lite/types_unstable/spec/index.js';
import type { Chart, ChartOptions } from './chart.ts';
import { EMAIL_WIDTH, emptyChart, frameChart, titleHeight } from './frame.ts';
import { humanize } from './labels.ts';
import { COLORS, SIZES } from './theme.ts';
import { DEFAULT_FORMAT, formatLabel, formatShare, formatValue } from './units.ts';

export interface FunnelStage {
  /** In pipeline order; snake_case ids are shown as words. */
  readonly stage: string;
  readonly count: number;
  readonly amount?: number | null;
}

export interface FunnelInput extends ChartOptions {
  readonly stages: readonly FunnelStage[];
  /** Bar length: deal count (default) or amount. */
  readonly measure?: 'count' | 'amount';
  /** What is counted, plural: "deals". */
  readonly noun?: string;
}

const STEP = 46;

export function buildFunnel(input: FunnelInput): Chart {
  const options = input.format ?? DEFAULT_FORMAT;
  const noun = input.noun ?? 'deals';
  const byAmount = input.measure === 'amount';
  const hasAmount = input.stages.some((s) => s.amount !== undefined && s.amount !== null);
  const stages = input.stages.map((s, i) => {
    const previous = input.stages[i - 1];
    const value = byAmount ? (s.amount ?? 0) : s.count;
    const before = previous ? (byAmount ? (previous.amount ?? 0) : previous.count) : null;
    return {
      label: humanize(s.stage),
      value,
      count: s.count,
      amount: s.amount ?? null,
      conversion: before ? value / before : null,
    };
  });
  const steps = stages.filter((s) => s.conversion !== null);
  const weakest = [...steps].sort((a, b) => (a.conversion ?? 0) - (b.conversion ?? 0))[0];
  const weakestFrom = weakest ? stages[stages.indexOf(weakest) - 1] : undefined;
  const title =
    input.title ??
    (weakest && weakestFrom
      ? `Weakest step: ${weakestFrom.label.toLowerCase()} to ${weakest.label.toLowerCase()} converts ${formatShare(weakest.conversion, options)}`
      : 'Pipeline by stage');
  const id = input.id ?? 'pipeline-funnel';
  const columns = [
    'Stage',
    humanize(noun),
    ...(hasAmount ? ['Amount'] : []),
    'Conversion from previous stage',
  ];
  const max = Math.max(0, ...stages.map((s) => s.value));
  if (stages.length === 0 || max <= 0) return emptyChart({ ...input, id, title, columns });

  const width = input.width ?? EMAIL_WIDTH;
  const height = input.height ?? Math.round(titleHeight(title, width) + stages.length * STEP + 12);
  const label = (s: (typeof stages)[number]) =>
    byAmount ? formatLabel(s.value, 'money', options) : `${formatValue(s.count, 'count', options)} ${noun}`;
  const rows = stages.map((s) => ({
    ...s,
    x: (max - s.value) / 2,
    x2: (max + s.value) / 2,
    text: label(s),
    step: s.conversion === null ? '' : `↓ ${formatShare(s.conversion, options)}`,
    stepColor: s === weakest && steps.length > 1 ? COLORS.bad : COLORS.secondaryText,
  }));
  const y = {
    field: 'label',
    type: 'nominal',
    title: null,
    sort: null,
    scale: { domain: stages.map((s) => s.label), paddingInner: 0.42, paddingOuter: 0.05 },
    axis: { labelColor: COLORS.text, labelFontSize: SIZES.label + 1, labelPadding: 8, labelLimit: 160 },
  } as const;
  const xScale = { domain: [0, max], nice: false };
  const x = { field: 'x', type: 'quantitative' as const, axis: null, scale: xScale };
  const conversions: UnitSpec<string> = {
    transform: [{ filter: "datum.step !== ''" }],
    mark: { type: 'text', baseline: 'bottom', dy: -2, fontSize: SIZES.label, fontWeight: 600 },
    encoding: {
      y: { ...y, bandPosition: 0 },
      x: { datum: max / 2, type: 'quantitative', scale: xScale },
      text: { field: 'step' },
      color: { field: 'stepColor', type: 'nominal', scale: null },
    },
  };
  return frameChart(
    {
      format: options,
      id,
      title,
      caption: input.caption,
      alt: `${title}. ${stages.map((s) => `${s.label} ${label(s)}${s.conversion === null ? '' : ` (${formatShare(s.conversion, options)} of the stage before)`}`).join(', ')}.`,
      table: {
        columns,
        rows: stages.map((s) => [
          s.label,
          formatValue(s.count, 'count', options),
          ...(hasAmount ? [formatValue(s.amount, 'money', options)] : []),
          s.conversion === null ? '' : formatShare(s.conversion, options),
        ]),
      },
      width,
      height,
    },
    {
      data: { values: rows },
      layer: [
        { mark: { type: 'bar', color: COLORS.good }, encoding: { y, x, x2: { field: 'x2' } } },
        {
          mark: {
            type: 'text',
            align: 'left',
            baseline: 'middle',
            dx: 6,
            fontWeight: 600,
            color: COLORS.text,
          },
          encoding: { y, x: { ...x, field: 'x2' }, text: { field: 'text' } },
        },
        conversions,
      ],
    },
  );
}
