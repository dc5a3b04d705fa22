// Return on investment per campaign as bars diverging from 0: campaigns that paid back in the
// good colour to the right, those that lost money in the bad colour to the left.

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
  readonly currency?: string;
}

/** "+240.0 %", "−35.0 %", "±0.0 %". */
export function formatRoi(roi: number | null): string {
  if (roi === null) return 'n/a';
  const text = formatShare(Math.abs(roi));
  return `${text === '0.0 %' ? '±' : roi > 0 ? '+' : '−'}${text}`;
}

export function buildCampaignRoiBars(input: CampaignRoiInput): Chart {
  const options = { currency: input.currency ?? DEFAULT_FORMAT.currency };
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
        ? `No campaign paid back its cost; the best returned ${formatRoi(best.roi)}`
        : `${paid} of ${known.length} campaigns paid back; ${best.campaign} returned ${formatRoi(best.roi)}`
      : 'Campaign ROI');
  const id = input.id ?? 'campaign-roi';
  const hasMoney = sorted.some((c) => c.cost !== undefined || c.revenue !== undefined);
  const columns = ['Campaign', 'ROI', ...(hasMoney ? ['Cost', 'Revenue'] : [])];
  if (!best) return emptyChart({ ...input, id, title, columns });

  return horizontalBarsChart(
    {
      id,
      title,
      caption: input.caption,
      alt: `${title}. ${sorted.map((c) => `${c.campaign} ${formatRoi(c.roi)}`).join('; ')}.`,
      table: {
        columns,
        rows: sorted.map((c) => [
          c.campaign,
          formatRoi(c.roi),
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
      text: c.roi === null ? 'no cost' : formatRoi(c.roi),
      missing: c.roi === null,
      color: (c.roi ?? 0) < 0 ? COLORS.bad : COLORS.good,
    })),
    { zeroRule: true },
  );
}
