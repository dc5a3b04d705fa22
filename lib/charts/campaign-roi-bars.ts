// Return on investment per campaign as bars diverging from 0: campaigns that paid back in the
// good colour to the right, those that lost money in the bad colour to the left.

import { type FormatOptions, showsZero } from '../format/values.ts';
import { horizontalBarsChart } from './bars.ts';
import type { Chart, ChartOptions } from './chart.ts';
import { EMAIL_WIDTH, emptyChart } from './frame.ts';
import { COLORS } from './theme.ts';
import { DEFAULT_FORMAT, formatShare, formatValue } from './units.ts';

export interface CampaignRoi {
  readonly campaign: string;
  /** (revenue − cost) ÷ cost; null when the cost is 0. */
  readonly roi: number | null;
  readonly cost?: number | null;
  readonly revenue?: number | null;
}

export interface CampaignRoiInput extends ChartOptions {
  readonly campaigns: readonly CampaignRoi[];
}

/** "+240.0 %", "−35.0 %", "±0.0 %". */
export function formatRoi(roi: number | null, options: FormatOptions = DEFAULT_FORMAT): string {
  if (roi === null) return 'n/a';
  const text = formatShare(Math.abs(roi), options);
  return `${showsZero(text) ? '±' : roi > 0 ? '+' : '−'}${text}`;
}

export function buildCampaignRoiBars(input: CampaignRoiInput): Chart {
  const options = input.format ?? DEFAULT_FORMAT;
  const sorted = [...input.campaigns].sort((a, b) =>
    a.roi === null || b.roi === null ? (a.roi === null ? 1 : 0) - (b.roi === null ? 1 : 0) : b.roi - a.roi,
  );
  const known = sorted.filter((c): c is CampaignRoi & { roi: number } => c.roi !== null);
  const best = known[0];
  const paid = known.filter((c) => c.roi >= 0).length;
  const title =
    input.title ??
    (best
      ? paid === 0
        ? `No campaign paid back its cost; the best returned ${formatRoi(best.roi, options)}`
        : `${paid} of ${known.length} campaigns paid back; ${best.campaign} returned ${formatRoi(best.roi, options)}`
      : 'Campaign ROI');
  const id = input.id ?? 'campaign-roi';
  const hasMoney = sorted.some((c) => c.cost !== undefined || c.revenue !== undefined);
  const columns = ['Campaign', 'ROI', ...(hasMoney ? ['Cost', 'Revenue'] : [])];
  if (!best) return emptyChart({ ...input, id, title, columns });

  return horizontalBarsChart(
    {
      format: options,
      id,
      title,
      caption: input.caption,
      alt: `${title}. ${sorted.map((c) => `${c.campaign} ${formatRoi(c.roi, options)}`).join('; ')}.`,
      table: {
        columns,
        rows: sorted.map((c) => [
          c.campaign,
          formatRoi(c.roi, options),
          ...(hasMoney
            ? [
                formatValue(c.cost ?? null, 'money', options),
                formatValue(c.revenue ?? null, 'money', options),
              ]
            : []),
        ]),
      },
      width: input.width ?? EMAIL_WIDTH,
      height: input.height,
    },
    sorted.map((c) => ({
      label: c.campaign,
      value: c.roi ?? 0,
      text: c.roi === null ? 'no cost' : formatRoi(c.roi, options),
      missing: c.roi === null,
      color: (c.roi ?? 0) < 0 ? COLORS.bad : COLORS.good,
    })),
    { zeroRule: true },
  );
}
