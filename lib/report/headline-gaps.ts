// The preferred headline KPIs that gave way to others, said once under the tiles (page, e-mail,
// text): a deals-only e-mail without close rate must not read as the whole story.

import type { KpiSeries } from '../render/content.ts';

/** The headline tiles, and the preferred KPIs that gave way because the data cannot answer them. */
export type Headline = readonly KpiSeries[] & { readonly unanswered?: readonly KpiSeries[] };

/**
 * "Not in this data: Revenue and Churn rate (the report's sections say what each needs). No
 * value for April 2026: Close rate." A KPI the data can compute but that has no value in the
 * period (no deal closed) is not said to be beyond the data.
 */
export function headlineGaps(headline: Headline, periodLabel: string): string | undefined {
  const unanswered = headline.unanswered ?? [];
  const beyond = unanswered.filter((s) => !s.available).map((s) => s.kpi.title);
  const empty = unanswered.filter((s) => s.available).map((s) => s.kpi.title);
  const sentences = [
    ...(beyond.length > 0
      ? [`Not in this data: ${list(beyond)} (the report's sections say what each needs).`]
      : []),
    ...(empty.length > 0 ? [`No value for ${periodLabel}: ${list(empty)}.`] : []),
  ];
  return sentences.length > 0 ? sentences.join(' ') : undefined;
}

function list(titles: readonly string[]): string {
  return titles.length > 1 ? `${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}` : (titles[0] ?? '');
}
