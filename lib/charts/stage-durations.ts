// Mean days per stage in stage order, the longest (the bottleneck) in the bad colour and named
// in the title.

import { horizontalBarsChart } from './bars.ts';
import type { Chart, ChartOptions } from './chart.ts';
import { EMAIL_WIDTH, emptyChart } from './frame.ts';
import { humanize } from './labels.ts';
import { COLORS } from './theme.ts';
import { DEFAULT_FORMAT, formatLabel, formatValue } from './units.ts';

export interface StageDuration {
  /** In pipeline order; snake_case ids are shown as words. */
  readonly stage: string;
  readonly days: number | null;
  /** Stage exits the mean is over. */
  readonly exits?: number | null;
}

export interface StageDurationsInput extends ChartOptions {
  readonly stages: readonly StageDuration[];
}

export function buildStageDurations(input: StageDurationsInput): Chart {
  const options = input.format ?? DEFAULT_FORMAT;
  const stages = input.stages.map((s) => ({ ...s, label: humanize(s.stage) }));
  const known = stages.filter((s): s is typeof s & { days: number } => s.days !== null);
  const bottleneck = [...known].sort((a, b) => b.days - a.days)[0];
  const title =
    input.title ??
    (bottleneck
      ? `Deals spend longest in ${bottleneck.label.toLowerCase()}: ${formatValue(bottleneck.days, 'days', options)} on average`
      : 'Days per stage');
  const id = input.id ?? 'stage-durations';
  const hasExits = stages.some((s) => s.exits !== undefined && s.exits !== null);
  const columns = ['Stage', 'Mean days', ...(hasExits ? ['Exits'] : [])];
  if (!bottleneck) return emptyChart({ ...input, id, title, columns });

  return horizontalBarsChart(
    {
      format: options,
      id,
      title,
      caption: input.caption,
      alt: `${title}. ${stages.map((s) => `${s.label} ${formatValue(s.days, 'days', options)}`).join(', ')}.`,
      table: {
        columns,
        rows: stages.map((s) => [
          s.label,
          formatValue(s.days, 'days', options),
          ...(hasExits ? [formatValue(s.exits ?? null, 'count', options)] : []),
        ]),
      },
      width: input.width ?? EMAIL_WIDTH,
      height: input.height,
    },
    stages.map((s) => ({
      label: s.label,
      value: s.days ?? 0,
      text: s.days === null ? 'no data' : formatLabel(s.days, 'days', options),
      missing: s.days === null,
      color: s === bottleneck ? COLORS.bad : COLORS.neutral,
    })),
  );
}
