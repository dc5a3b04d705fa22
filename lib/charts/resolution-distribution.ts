// How long tickets took to resolve, as a histogram of the buckets the query counted (ordered by
// bucket_order), each bar labelled with its count; the most common bucket is highlighted.

import type { Chart, ChartOptions } from './chart.ts';
import { EMAIL_WIDTH, emptyChart, frameChart } from './frame.ts';
import { COLORS, SIZES } from './theme.ts';
import { DEFAULT_FORMAT, formatShare, formatValue } from './units.ts';

/** A row of a resolution-time histogram query. */
export interface ResolutionBucket {
  /** e.g. "< 1 h", "1–4 h", "> 3 days". */
  readonly bucket_label: string;
  readonly bucket_order: number;
  readonly tickets: number;
}

export interface ResolutionDistributionInput extends ChartOptions {
  readonly buckets: readonly ResolutionBucket[];
}

export function buildResolutionDistribution(input: ResolutionDistributionInput): Chart {
  const options = input.format ?? DEFAULT_FORMAT;
  const buckets = [...input.buckets].sort((a, b) => a.bucket_order - b.bucket_order);
  const total = buckets.reduce((sum, b) => sum + b.tickets, 0);
  const share = (b: ResolutionBucket) => (total > 0 ? b.tickets / total : null);
  const mode = [...buckets].sort((a, b) => b.tickets - a.tickets)[0];
  const title =
    input.title ??
    (mode && total > 0
      ? `The most common resolution time is ${mode.bucket_label} (${formatShare(share(mode), options)} of ${formatValue(total, 'count', options)} tickets)`
      : 'Resolution time');
  const id = input.id ?? 'resolution-time-distribution';
  const columns = ['Resolution time', 'Tickets', 'Share'];
  if (!mode || total === 0)
    return emptyChart({ ...input, id, title, columns }, 'No tickets resolved in this period');

  const rows = buckets.map((b) => ({
    bucket: b.bucket_label,
    tickets: b.tickets,
    text: formatValue(b.tickets, 'count', options),
    color: b === mode ? COLORS.good : COLORS.neutral,
  }));
  const x = {
    field: 'bucket',
    type: 'ordinal' as const,
    title: 'Time to resolve',
    sort: null,
    scale: { domain: rows.map((r) => r.bucket), paddingInner: 0.06, paddingOuter: 0.04 },
    axis: { labelColor: COLORS.text, ticks: false },
  };
  const y = {
    field: 'tickets',
    type: 'quantitative' as const,
    title: null,
    axis: null,
    scale: { domain: [0, mode.tickets * 1.12], nice: false },
  };
  return frameChart(
    {
      format: options,
      id,
      title,
      caption: input.caption,
      alt: `${title}. ${buckets.map((b) => `${b.bucket_label}: ${formatValue(b.tickets, 'count', options)}`).join(', ')}.`,
      table: {
        columns,
        rows: buckets.map((b) => [
          b.bucket_label,
          formatValue(b.tickets, 'count', options),
          formatShare(share(b), options),
        ]),
      },
      width: input.width ?? EMAIL_WIDTH,
      height: input.height ?? 260,
    },
    {
      data: { values: rows },
      encoding: { x, y },
      layer: [
        {
          mark: { type: 'bar', cornerRadiusEnd: 1 },
          encoding: { color: { field: 'color', type: 'nominal', scale: null } },
        },
        {
          mark: { type: 'text', baseline: 'bottom', dy: -4, fontWeight: 600, fontSize: SIZES.mark },
          encoding: { text: { field: 'text' } },
        },
      ],
    },
  );
}
