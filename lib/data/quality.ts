// The data-quality summary a report shows and `pulse check --format json` holds: per table how
// many rows were read, rejected and left out, how fresh it is, and every check that found
// something, with counts and a few examples. Pure: built from an open dataset's findings.

import type { Dataset } from './dataset.ts';
import type { TableFreshness } from './freshness.ts';
import { describeRule, formatCount, type ProblemRule, type Severity } from './problems.ts';
import { BANNER_REJECT_SHARE, formatRejectSummary, type TableRejects, tableRejectShares } from './rejects.ts';

export interface DataQualityCheck {
  readonly severity: Severity;
  readonly table: string;
  readonly column?: string;
  readonly rule: ProblemRule;
  /** e.g. `reference points nowhere`. */
  readonly description: string;
  readonly count: number;
  /** `1 order`: the count with what it counts, when that is not rows (a grouped table's groups). */
  readonly counted?: string;
  /** `opportunities.csv line 17 ("U9")`, at most three. */
  readonly examples: readonly string[];
}

export interface DataQualityTable {
  readonly table: string;
  readonly rows: number;
  readonly rejected: number;
  /** Rows the mapping's `where` left out (not errors: the mapping chose to). */
  readonly leftOut: number;
  /** That `where`, when it left rows out. */
  readonly leftOutBy?: string;
  /** The file names the table was read from, without their folder. */
  readonly files: readonly string[];
  /** Latest event date in the table, ignoring dates after the clock. */
  readonly latest: string | null;
}

export interface DataQuality {
  /** How tables were built when the export had no file for them ("customers derived from ..."). */
  readonly derived?: readonly string[];
  /**
   * Columns a KPI needs that the export mostly leaves blank, a sentence each ("First contact
   * resolution rate reads tickets.contacts, which the export leaves blank on 8 of 12 ..."): the
   * e-mail says them, having no room for `checks`, which hold them as `mostly_blank`.
   */
  readonly blankInputs?: readonly string[];
  readonly rejected: {
    readonly rows: number;
    readonly total: number;
    readonly share: number;
    /** `12 rows rejected (1.2 %)` */
    readonly label: string;
    /** Above 1 % of a table: the report says it at the top, not only in the footer. */
    readonly banner: boolean;
    /**
     * Per table: rows rejected of the rows it has. A share of every table together would read
     * one file mapped into three tables three times (11 rows of 7,043 said as 0.052 %).
     */
    readonly tables: readonly TableRejects[];
  };
  readonly tables: readonly DataQualityTable[];
  readonly checks: readonly DataQualityCheck[];
}

export function buildDataQuality(
  dataset: Pick<Dataset, 'rejects' | 'tables' | 'problems'>,
  freshness: readonly TableFreshness[],
): DataQuality {
  const { rejects } = dataset;
  const derived = dataset.tables.flatMap((t) => (t.note ? [t.note] : []));
  return {
    ...(derived.length > 0 ? { derived } : {}),
    rejected: {
      rows: rejects.rows,
      total: rejects.total,
      share: rejects.share,
      label: formatRejectSummary(rejects),
      banner: tableRejectShares(rejects.tables).some((t) => t.share > BANNER_REJECT_SHARE),
      tables: rejects.tables.filter((t) => t.rows > 0),
    },
    tables: dataset.tables.map((t) => ({
      table: t.table,
      rows: t.records,
      rejected: t.rejected,
      leftOut: t.leftOut,
      ...(t.leftOutBy ? { leftOutBy: t.leftOutBy } : {}),
      files: t.files.map(baseName),
      latest: freshness.find((f) => f.table === t.table)?.latest ?? null,
    })),
    checks: dataset.problems.map((p) => ({
      severity: p.severity,
      table: p.table,
      ...(p.column ? { column: p.column } : {}),
      rule: p.rule,
      description: describeRule(p.rule),
      count: p.count,
      ...(p.counted ? { counted: formatCount(p) } : {}),
      examples: p.examples.slice(0, 3).map((e) => {
        const file = baseName(e.file);
        const unit = file.toLowerCase().endsWith('.parquet') ? 'row' : 'line';
        return `${file} ${unit} ${e.loc}${e.value === null ? '' : ` (${JSON.stringify(e.value.length > 40 ? `${e.value.slice(0, 37)}...` : e.value)})`}`;
      }),
    })),
  };
}

function baseName(path: string): string {
  return path.split('/').at(-1) ?? path;
}
