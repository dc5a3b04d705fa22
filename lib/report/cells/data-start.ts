// A chart's axis begins where the data does: months before the first order drawn as empty bars
// or a gap in the line read as zero, or as a fall. Pure.

import type { ComparedRow } from '../../kpi/compare.ts';

/**
 * The rows from the first period the data reaches, and why the earlier ones are left out ("No
 * earlier periods: the data starts 1997-01-01 (the first ordered_at in orders)"). A series with
 * no data at all is kept whole: its chart says "No data" with the reason.
 */
export function fromDataStart(history: readonly ComparedRow[]): {
  readonly rows: readonly ComparedRow[];
  readonly note?: string;
} {
  const first = history.findIndex((row) => row.coverage !== 'none');
  if (first <= 0) return { rows: history };
  const dropped = history[first - 1]?.coverage_note;
  // "no data for December 1996: the data starts 1997-01-01 (...)" → what follows the period.
  const reason = typeof dropped === 'string' ? dropped.replace(/^no data for [^:]*: /, '') : '';
  return {
    rows: history.slice(first),
    ...(reason ? { note: `No earlier periods: ${reason}.` } : {}),
  };
}
