// What a report is made of. A report script appends these blocks; the renderer turns them into
// HTML, the e-mail and kpis.csv. Plain data, no behaviour.

import type { Chart } from '../charts/chart.ts';
import type { DataQuality } from '../data/quality.ts';
import type { FormatOptions } from '../format/values.ts';
import type { ComparedRow } from '../kpi/compare.ts';
import type { KpiDefinition } from '../kpi/definition.ts';
import type { RejectedRows } from './rejected-rows.ts';

/** One KPI over the report's period with its recent history, or why it is missing. */
export type KpiSeries =
  | {
      readonly kpi: KpiDefinition;
      readonly available: true;
      /** The report's period (the last row of `history`). */
      readonly current: ComparedRow | undefined;
      /** The trailing periods up to and including the report's period, oldest first. */
      readonly history: readonly ComparedRow[];
      /** In a scoped report: why this KPI is for the whole business, not the scope. */
      readonly companyWide?: string;
    }
  | { readonly kpi: KpiDefinition; readonly available: false; readonly missing: readonly string[] };

/** Rows of a breakdown or a table-shaped KPI for the report's period. */
export type KpiTable =
  | {
      readonly kpi: KpiDefinition;
      readonly available: true;
      readonly by?: string;
      readonly rows: readonly ComparedRow[];
      /** In a scoped report: why these rows are for the whole business, not the scope. */
      readonly companyWide?: string;
    }
  | { readonly kpi: KpiDefinition; readonly available: false; readonly missing: readonly string[] };

export interface TableBlock {
  readonly kind: 'table';
  readonly title?: string;
  readonly caption?: string;
  readonly columns: readonly { readonly header: string; readonly align?: 'left' | 'right' }[];
  readonly rows: readonly (readonly string[])[];
}

export type Block =
  | { readonly kind: 'markdown'; readonly text: string }
  | { readonly kind: 'tiles'; readonly tiles: readonly KpiSeries[]; readonly note?: string }
  | { readonly kind: 'chart'; readonly chart: Chart }
  | TableBlock
  | { readonly kind: 'unavailable'; readonly title: string; readonly missing: readonly string[] }
  /** The data has the columns but cannot answer for this period (a column the export stopped filling). */
  | { readonly kind: 'unknown'; readonly title: string; readonly reason: string }
  | {
      readonly kind: 'section';
      readonly id: string;
      readonly title: string;
      readonly blocks: readonly Block[];
    };

/** Everything a finished report holds; the runner adds where it came from. */
export interface ReportDocument {
  readonly name: string;
  /** Set when the data covers the report's period only in part: why ("partial: the data ends ..."). */
  readonly partial?: string;
  /** Set when the export ends before the latest complete period by the clock: how far behind it is. */
  readonly staleExport?: string;
  readonly title: string;
  readonly periodLabel: string;
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly timeZone: string;
  /** The currency and locale every number of the report is written in (tiles, e-mail, charts). */
  readonly format: Required<FormatOptions>;
  readonly dataAsOf: string | null;
  readonly generatedAt: string;
  readonly summary: string | undefined;
  /** The headline tiles: the first screen of the report and the body of the e-mail. */
  readonly headline: readonly KpiSeries[];
  /** Under the headline: "Not in this data: Close rate and Open pipeline (...)". */
  readonly headlineGaps?: string;
  /** "What changed and why": sentences with an optional small chart each. */
  readonly changes: readonly ReportChange[];
  /** The chart the e-mail shows under its tiles (r.leadChart). */
  readonly leadChart?: Chart;
  readonly blocks: readonly Block[];
  /** Every KPI the report asked for, for the footer's definitions. */
  readonly kpiIds: readonly string[];
  readonly freshness: readonly { readonly table: string; readonly latest: string | null }[];
  /** Rows rejected and what the data checks found; `dataQuality.rejected.label` is "N rows rejected (x %)". */
  readonly dataQuality?: DataQuality;
  /** Every sentence about rejected rows (banner, footer, e-mail), from `dataQuality.rejected`. */
  readonly rejectedRows?: RejectedRows;
  readonly reproduce: string;
  /** The e-mail subject when the report sets its own (an alert: what crossed which line). */
  readonly subject?: string;
  /** Set when the report covers one part of the business (`--param region=EMEA`). */
  readonly scope?: ReportScope;
  /** Past numbers that changed since they were sent: "September 2026 close rate was ...". */
  readonly restated?: readonly string[];
}

export interface ReportScope {
  readonly params: Readonly<Record<string, string>>;
  /** "region EMEA": in the title, the subject and the e-mail. */
  readonly label: string;
  /** "Covers the 1,603 of 5,000 customers with region EMEA and their orders, ...". */
  readonly coverage: string;
  /** What in the report is not the scope's own: company-wide, not available, targets. */
  readonly notes: readonly string[];
}

export interface ReportChange {
  readonly text: string;
  readonly chart?: Chart;
}
