// Everything a report says about rejected rows, written from one summary (the dataset's count),
// so the body, the banner, the footer and the e-mail can never disagree: a report that left
// rows out never also says every row passed.

import type { DataQuality } from '../data/quality.ts';
import { formatShare } from '../data/rejects.ts';
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
  /** In the footer of the report and of the e-mail; '' when no row was rejected. */
  readonly footer: string;
}

export function describeRejectedRows(
  rejected: Pick<DataQuality['rejected'], 'rows' | 'total' | 'share' | 'banner'>,
  locale = DEFAULT_LOCALE,
): RejectedRows {
  const { rows, total, share } = rejected;
  if (rows === 0) {
    return {
      rows,
      total,
      share,
      label: '',
      contract:
        'Every row of the data passed the data contract: KPIs are never computed from rows that failed it (`pulse check` lists problems).',
      banner: '',
      footer: '',
    };
  }
  // The share keeps rejects.ts's precision (0.37 %, < 0.01 %, 12 %), in the locale's digits.
  const percent = formatShare(share).replace('.', decimalSeparator(locale));
  const label = `${formatNumber(rows, locale)} ${rows === 1 ? 'row' : 'rows'} rejected (${percent})`;
  return {
    rows,
    total,
    share,
    label,
    contract: `Not every row passed the data contract: ${label}, left out of every number in this report; \`pulse check\` lists each one with the reason.`,
    banner: rejected.banner
      ? `${label} for data errors: the numbers below are computed from the other rows. pulse check lists every rejected row.`
      : '',
    footer: `${label}: left out of every number in this report for data errors.`,
  };
}
