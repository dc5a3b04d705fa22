// A report read as "the latest" must say when its export is behind the clock: a weekly report
// mailed on 2 January about the week of 4 December reads as current unless it says the export
// ends 11 December. Scheduled reports wait for their period, so this speaks to reports made by
// hand (`pulse report`, `pulse send`) and to periods chosen from the data. Pure.

import { localDate } from '../kpi/local-date.ts';
import { addDays, formatPeriod, lastCompletePeriod, type PeriodSpan } from '../kpi/period.ts';

/**
 * "the export ends 2017-12-11, 22 days before this report: week of 2017-12-25, the latest
 * complete week, is not in it", or undefined when the export covers the latest complete period,
 * or the report is of that period (its own banner then says it is partial).
 */
export function staleExportNote(
  asOf: string | null,
  period: PeriodSpan,
  now: string,
  timeZone: string,
): string | undefined {
  if (asOf === null || period.grain === 'range') return undefined;
  const today = localDate(new Date(now), timeZone);
  const latest = lastCompletePeriod(addDays(today, -1), period.grain);
  if (addDays(asOf, 1) >= latest.end || period.start >= latest.start) return undefined;
  return `the export ends ${asOf}, ${howLong(asOf, today)} before this report: ${formatPeriod(latest)}, the latest complete ${period.grain}, is not in it`;
}

/** "22 days", "about 5 months", "about 9 years": as a reader would say it. */
function howLong(from: string, to: string): string {
  const days = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
  if (days < 60) return `${days} day${days === 1 ? '' : 's'}`;
  if (days < 730) return `about ${Math.round(days / 30.44)} months`;
  return `about ${Math.floor(days / 365.25)} years`;
}
