// The headline KPIs the tiles leave out, said once under the tiles (page, e-mail, text): a
// deals-only e-mail without close rate must not read as the whole story.

import { noDataReason } from '../kpi/coverage.ts';
import type { KpiSeries } from '../render/content.ts';

/**
 * The headline tiles, and the KPIs they leave out: the preferred ones that gave way because the
 * data cannot answer them, and any (preferred or stand-in) with no value in the period.
 */
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
    ...(empty.length > 0 ? [`No value for ${periodLabel}: ${list(empty)}${sharedReason(unanswered)}.`] : []),
  ];
  return sentences.length > 0 ? sentences.join(' ') : undefined;
}

// Why they have no value, when it is one reason for all: "; the data starts 2017-03-01 (…)".
function sharedReason(unanswered: readonly KpiSeries[]): string {
  const reasons = new Set(
    unanswered.flatMap((s) => {
      if (!s.available) return [];
      const note = s.current?.coverage === 'none' ? s.current.coverage_note : undefined;
      return [typeof note === 'string' ? noDataReason(note) : undefined];
    }),
  );
  const [reason] = reasons;
  return reasons.size === 1 && reason !== undefined ? `; ${reason}` : '';
}

function list(titles: readonly string[]): string {
  return titles.length > 1 ? `${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}` : (titles[0] ?? '');
}
