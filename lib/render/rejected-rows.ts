// Everything a report says about rejected rows, written from one summary (the dataset's count),
// so the body, the banner, the footer and the e-mail can never disagree: a report that left
// rows out never also says every row passed. Rows the mapping's `where` left out are no errors,
// but the reader is told of them too: "every row passed" over an export a filter cut by 500 rows
// hides that the numbers are of a part of it.

import { describeRejectCause, ROW_RULES } from '../data/problems.ts';
import type { DataQuality, DataQualityCheck, DataQualityTable } from '../data/quality.ts';
import { formatShare, type TableRejects, tableRejectShares } from '../data/rejects.ts';
import { DEFAULT_LOCALE, decimalSeparator, formatNumber } from '../format/values.ts';

export interface RejectedRows {
  readonly rows: number;
  readonly total: number;
  readonly share: number;
  /** "255 rows rejected (0.37 %)" in the report's locale; '' when none was. */
  readonly label: string;
  /** The body's sentence about the data contract (the monthly report's data-quality cell). */
  readonly contract: string;
  /** At the top of the report, above BANNER_REJECT_SHARE; '' otherwise. */
  readonly banner: string;
  /** In the footer of the report and of the e-mail; '' when no row was rejected or left out. */
  readonly footer: string;
}

/** What the sentences are written from: the data-quality summary, or the part of it they read. */
export interface RejectedRowsInput {
  readonly rejected: Pick<DataQuality['rejected'], 'rows' | 'total' | 'share' | 'banner'> & {
    readonly tables?: readonly TableRejects[];
  };
  readonly tables?: readonly Pick<DataQualityTable, 'table' | 'leftOut' | 'leftOutBy' | 'files'>[];
  readonly checks?: readonly Pick<DataQualityCheck, 'severity' | 'table' | 'column' | 'rule' | 'count'>[];
}

/** The causes a banner names, the most frequent first; the rest are left to `pulse check`. */
const CAUSES_NAMED = 3;

/** A headline KPI that read a table with rejected rows; `compared` false when its changes are withheld. */
export interface RejectedReader {
  readonly title: string;
  readonly compared: boolean;
}

/**
 * `readers`, known once the report is built, are the headline KPIs computed without rejected
 * rows: the banner names them, so the reader knows which of the first screen's numbers to doubt.
 */
export function describeRejectedRows(
  quality: RejectedRowsInput,
  locale = DEFAULT_LOCALE,
  readers?: readonly RejectedReader[],
): RejectedRows {
  const { rows, total, share } = quality.rejected;
  const leftOut = (quality.tables ?? []).filter((t) => t.leftOut > 0);
  // Plain in the footer; in the body's Markdown the condition is set as code, as SQL is.
  const leftOutText = leftOut.map((t) => leftOutSentence(t, locale, (where) => where)).join(' ');
  const leftOutMarkdown = leftOut
    .map((t) => leftOutSentence(t, locale, (where) => (where.includes('`') ? where : `\`${where}\``)))
    .join(' ');
  if (rows === 0) {
    return {
      rows,
      total,
      share,
      label: '',
      contract: leftOut.length
        ? `Every row the mapping kept passed the data contract: KPIs are never computed from rows that failed it (\`pulse check\` lists problems). ${leftOutMarkdown}`
        : 'Every row of the data passed the data contract: KPIs are never computed from rows that failed it (`pulse check` lists problems).',
      banner: '',
      footer: leftOutText,
    };
  }
  // The share keeps rejects.ts's precision (0.37 %, < 0.01 %, 12 %), in the locale's digits.
  const percent = (part: number) => formatShare(part).replace('.', decimalSeparator(locale));
  // Of the tables the rejects came from: one file read into three tables is not three times
  // the rows, and 20 % of the deals is not 2 % of a ten-table export.
  const from = tableRejectShares(quality.rejected.tables ?? []);
  const shares =
    from.length > 0 ? from.map((t) => `${percent(t.share)} of ${t.table}`).join(', ') : percent(share);
  const label = `${formatNumber(rows, locale)} ${rows === 1 ? 'row' : 'rows'} rejected (${shares})`;
  const causes = rejectCauses(quality.checks ?? [], locale);
  return {
    rows,
    total,
    share,
    label,
    contract: `Not every row passed the data contract: ${label}, left out of every number in this report; \`pulse check\` lists each one with the reason.${leftOutMarkdown ? ` ${leftOutMarkdown}` : ''}`,
    banner: quality.rejected.banner
      ? `${label}${causes ? `: ${causes}` : ' for data errors'}. ${readersSentence(readers)} pulse check lists every rejected row.`
      : '',
    footer: `${label}: left out of every number in this report for data errors.${leftOutText ? ` ${leftOutText}` : ''}`,
  };
}

/** "Close rate and Won revenue are computed without them and not compared with earlier periods." */
function readersSentence(readers: readonly RejectedReader[] | undefined): string {
  if (readers === undefined || readers.length === 0)
    return 'The numbers below are computed from the other rows;';
  const uncompared = readers.filter((r) => !r.compared).map((r) => r.title);
  const compared = readers.filter((r) => r.compared).map((r) => r.title);
  const are = (titles: readonly string[]) => (titles.length === 1 ? 'is' : 'are');
  return [
    uncompared.length > 0
      ? `${andList(uncompared)} ${are(uncompared)} computed without them and not compared with earlier periods.`
      : '',
    compared.length > 0 ? `${andList(compared)} ${are(compared)} computed without them.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

function andList(titles: readonly string[]): string {
  return titles.length > 1 ? `${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}` : (titles[0] ?? '');
}

/**
 * "1,695 won deals without an amount (opportunities.amount)": the row errors by count, at most
 * CAUSES_NAMED. A row with two errors is in two counts, as `pulse check` lists it twice.
 */
function rejectCauses(checks: NonNullable<RejectedRowsInput['checks']>, locale: string): string {
  const causes = checks
    .filter((c) => c.severity === 'error' && ROW_RULES.has(c.rule) && c.count > 0)
    .sort((a, b) => b.count - a.count);
  const named = causes.slice(0, CAUSES_NAMED).map((c) => {
    const what = describeRejectCause(c.rule, c.count) ?? 'rows with errors';
    return `${formatNumber(c.count, locale)} ${what} (${c.table}${c.column ? `.${c.column}` : ''})`;
  });
  const more = causes.length - named.length;
  return more > 0
    ? `${named.join(', ')} and ${more} more ${more === 1 ? 'cause' : 'causes'}`
    : named.join(', ');
}

/** "500 rows of sales_pipeline.csv left out by the mapping (deal_stage <> 'Prospecting')." */
function leftOutSentence(
  table: Pick<DataQualityTable, 'table' | 'leftOut' | 'leftOutBy' | 'files'>,
  locale: string,
  condition: (where: string) => string,
): string {
  const rows = `${formatNumber(table.leftOut, locale)} ${table.leftOut === 1 ? 'row' : 'rows'}`;
  const files = table.files.length > 0 ? table.files.join(', ') : table.table;
  const why = table.leftOutBy ? ` (${condition(table.leftOutBy)})` : '';
  return `${rows} of ${files} left out by the mapping${why}.`;
}
