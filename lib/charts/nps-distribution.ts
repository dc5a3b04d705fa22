// The NPS answers in three bars: promoters (9–10) in the good colour, passives (7–8) in grey,
// detractors (0–6) in the bad colour, each with its share and count; the score in the title.

import { horizontalBarsChart } from './bars.ts';
import type { Chart, ChartOptions } from './chart.ts';
import { EMAIL_WIDTH, emptyChart } from './frame.ts';
import { COLORS } from './theme.ts';
import { DEFAULT_FORMAT, formatShare, formatValue } from './units.ts';

export interface NpsDistributionInput extends ChartOptions {
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  /** The score as the nps KPI computed it; derived from the counts when absent. */
  readonly nps?: number | null;
}

export function buildNpsDistribution(input: NpsDistributionInput): Chart {
  const options = input.format ?? DEFAULT_FORMAT;
  const total = input.promoters + input.passives + input.detractors;
  const share = (n: number) => (total > 0 ? n / total : 0);
  const nps = input.nps ?? (total > 0 ? 100 * share(input.promoters) - 100 * share(input.detractors) : null);
  const npsText = formatValue(nps, 'score', options);
  const groups = [
    { label: 'Promoters (9–10)', count: input.promoters, color: COLORS.good },
    { label: 'Passives (7–8)', count: input.passives, color: COLORS.contextLight },
    { label: 'Detractors (0–6)', count: input.detractors, color: COLORS.bad },
  ];
  const title =
    input.title ??
    (total > 0
      ? `NPS ${npsText}: ${formatShare(share(input.promoters), options)} promoters, ${formatShare(share(input.detractors), options)} detractors`
      : 'NPS');
  const id = input.id ?? 'nps-distribution';
  const columns = ['Group', 'Answers', 'Share'];
  if (total === 0) return emptyChart({ ...input, id, title, columns }, 'No NPS answers in this period');

  return horizontalBarsChart(
    {
      format: options,
      id,
      title,
      caption: input.caption,
      alt:
        `${title}. ${groups.map((g) => `${g.label}: ${formatValue(g.count, 'count', options)} (${formatShare(share(g.count), options)})`).join(', ')}; ` +
        `${formatValue(total, 'count', options)} answers.`,
      table: {
        columns,
        rows: groups.map((g) => [
          g.label,
          formatValue(g.count, 'count', options),
          formatShare(share(g.count), options),
        ]),
      },
      width: input.width ?? EMAIL_WIDTH,
      height: input.height,
    },
    groups.map((g) => ({
      label: g.label,
      value: share(g.count),
      text: `${formatShare(share(g.count), options)} · ${formatValue(g.count, 'count', options)}`,
      color: g.color,
    })),
  );
}
