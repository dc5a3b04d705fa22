// Whether "what changed" could judge a KPI's move against its usual swing, and if not why, in
// the words of its rows: what the data says about the period or about the one before it.

import { whyUnscored } from '../../insights/movers.ts';
import type { Judgement, Unjudged } from '../../insights/no-movers.ts';
import { type ComparedRow, wholeValue } from '../../kpi/compare.ts';
import { noDataReason } from '../../kpi/coverage.ts';
import { formatPeriod, type Grain } from '../../kpi/period.ts';

/** A KPI's judgement from the same values the movers are scored on (whole periods only). */
export function judgement(title: string, history: readonly ComparedRow[], grain: Grain): Judgement {
  const unscored = whyUnscored(history.map(wholeValue));
  if (!unscored) return { title };
  const current = history.at(-1);
  const before = history.at(-2);
  const unjudged: Unjudged =
    unscored.reason === 'no-latest'
      ? current?.value === null || current?.value === undefined
        ? { kind: 'no-value', ...note(current && rowReason(current)) }
        : {
            kind: 'not-whole',
            ...note(
              textOf(current.unknown_note) ??
                textOf(current.coverage_note) ??
                (textOf(current.rejected_note) && `computed ${current.rejected_note}`),
            ),
          }
      : unscored.reason === 'no-previous'
        ? { kind: 'nothing-before', ...note(before && previousReason(before, grain)) }
        : { kind: 'short-history', earlier: unscored.earlier, ...note(dataStart(history)) };
  return { title, unjudged };
}

/** Why a row has no value: "the data starts 2017-03-01 (…)", "amount unknown for 3 of 3 open deals". */
function rowReason(row: ComparedRow): string | undefined {
  const coverage = textOf(row.coverage_note);
  return coverage === undefined ? textOf(row.unknown_note) : noDataReason(coverage);
}

/** Why the period before is no base: outside the data, partial, amounts unknown, or no value. */
function previousReason(row: ComparedRow, grain: Grain): string | undefined {
  const label = formatPeriod({ start: row.period_start, end: row.period_end, grain });
  const coverage = textOf(row.coverage_note);
  if (row.coverage === 'none' && coverage) return noDataReason(coverage);
  if (row.coverage === 'partial' && coverage) return `${label} is ${coverage}`;
  const rejected = textOf(row.rejected_note);
  if (rejected) return `${label} is computed ${rejected}`;
  const unknown = textOf(row.unknown_note);
  if (unknown) return `${unknown} in ${label}`;
  return row.value === null ? `no value for ${label}` : undefined;
}

// A short history is most often a young export: the reason the last period without data gives.
function dataStart(history: readonly ComparedRow[]): string | undefined {
  const outside = history.slice(0, -1).findLast((row) => row.coverage === 'none');
  const coverage = outside && textOf(outside.coverage_note);
  return coverage && noDataReason(coverage);
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

// exactOptionalPropertyTypes: a note is there or absent, never `note: undefined`.
function note(text: string | undefined): { note?: string } {
  return text === undefined ? {} : { note: text };
}
