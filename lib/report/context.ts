// The notebook API a report script sees. It asks for KPIs (answered by the runner, which owns
// the data), and appends blocks. No I/O, no clock of its own.

import type { Chart } from '../charts/chart.ts';
import type { Formatter } from '../format/formatter.ts';
import type { Grain, PeriodSpan } from '../kpi/period.ts';
import type { Block, KpiSeries, KpiTable, ReportChange, TableBlock } from '../render/content.ts';
import type { RejectedRows } from '../render/rejected-rows.ts';
import { type Headline, headlineGaps } from './headline-gaps.ts';

/** How the runner answers a report's questions about the data. */
export interface KpiSource {
  /** The KPI over the trailing `history` periods ending with the report's period, compared. */
  series(id: string, history: number): Promise<KpiSeries>;
  /** The report's period broken down by `by`, or a table-shaped KPI's rows. */
  rows(id: string, options?: RowsOptions): Promise<KpiTable>;
}

export interface RowsOptions {
  readonly by?: string;
  readonly params?: Readonly<Record<string, string>>;
  /** The period before the report's (to explain a change). */
  readonly previous?: boolean;
  /** The trailing periods ending with the report's, each row with its period_start (a breakdown's history). */
  readonly history?: number;
  /**
   * With `by`, for a count or a sum: a value with a row in a period of the span and none in a later
   * one the data covers gets a row of 0 there (a rep with no won deal: $0), for following each
   * value over the periods (lib/kpi/carry-zeros.ts).
   */
  readonly carryZeros?: boolean;
}

export interface CellTiming {
  readonly name: string;
  readonly ms: number;
}

export interface ReportContext {
  readonly period: PeriodSpan & { readonly grain: Grain };
  /** "October 2026". */
  readonly periodLabel: string;
  /** What the period before is called: "September", "2026-Q2". */
  readonly previousLabel: string;
  readonly timeZone: string;
  /** The clock of this run (ISO instant); never read Date.now() in a report. */
  readonly now: string;
  readonly params: Readonly<Record<string, string>>;
  /**
   * "region EMEA" when the params scope the data (every KPI is then that part of the business,
   * company-wide or not available; see lib/report/scoped-kpis.ts); undefined for the whole.
   */
  readonly scopeLabel: string | undefined;
  /**
   * The report's currency and locale (PULSE_CURRENCY, PULSE_LOCALE) with the functions that use
   * them: give it to every table, chart and sentence (`format: r.format`); never name a currency.
   */
  readonly format: Formatter;
  /** What to say about rows the data contract rejected: the same words as the footer's. */
  readonly rejectedRows: RejectedRows;
  kpi(id: string, history?: number): Promise<KpiSeries>;
  kpis(ids: readonly string[], history?: number): Promise<KpiSeries[]>;
  rows(id: string, options?: RowsOptions): Promise<KpiTable>;
  /** The one-sentence answer at the top of the report and the e-mail. */
  summary(text: string): void;
  /** The e-mail subject, instead of "title: period" (one line; an alert's "X is above Y"). */
  subject(text: string): void;
  /** The headline tiles (also the e-mail's body). */
  headline(series: Headline): void;
  /** One "what changed and why" finding: shown here and in the e-mail. */
  change(text: string, chart?: Chart): void;
  /** A chart shown here and, under the tiles, in the e-mail too (an alert's trend). */
  leadChart(chart: Chart | undefined): void;
  markdown(text: string): void;
  tiles(series: readonly KpiSeries[]): void;
  chart(chart: Chart | undefined): void;
  table(table: Omit<TableBlock, 'kind'>): void;
  /** Says on the report that something could not be shown and what it needs. */
  unavailable(title: string, missing: readonly string[]): void;
  /** Says on the report that the data cannot answer this for the period, and why. */
  unknown(title: string, reason: string): void;
  /** A titled part of the report; its cells run inside and are timed together. */
  section(title: string, cells: () => Promise<void>): Promise<void>;
}

export interface ContextState {
  readonly blocks: Block[];
  summary: string | undefined;
  subject?: string;
  headline: readonly KpiSeries[];
  /** "Not in this data: ...": the preferred headline KPIs that gave way. */
  headlineGaps?: string;
  readonly changes: ReportChange[];
  leadChart?: Chart;
  readonly timings: CellTiming[];
}

export function createContext(
  base: Pick<
    ReportContext,
    | 'period'
    | 'periodLabel'
    | 'previousLabel'
    | 'timeZone'
    | 'now'
    | 'params'
    | 'scopeLabel'
    | 'format'
    | 'rejectedRows'
  >,
  source: KpiSource,
  onCell: (timing: CellTiming) => void,
): { context: ReportContext; state: ContextState } {
  const state: ContextState = { blocks: [], summary: undefined, headline: [], changes: [], timings: [] };
  let target = state.blocks;
  const context: ReportContext = {
    ...base,
    kpi: (id, history = 12) => source.series(id, history),
    kpis: async (ids, history = 12) => {
      const out: KpiSeries[] = [];
      for (const id of ids) out.push(await source.series(id, history));
      return out;
    },
    rows: (id, options) => source.rows(id, options),
    summary: (text) => {
      state.summary = text;
    },
    subject: (text) => {
      state.subject = text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
    },
    headline: (series) => {
      state.headline = series;
      const gaps = headlineGaps(series, base.periodLabel);
      if (gaps) state.headlineGaps = gaps;
      target.push({ kind: 'tiles', tiles: series, ...(gaps ? { note: gaps } : {}) });
    },
    change: (text, chart) => {
      state.changes.push(chart ? { text, chart } : { text });
      target.push({ kind: 'markdown', text });
      if (chart) target.push({ kind: 'chart', chart });
    },
    leadChart: (chart) => {
      if (!chart) return;
      state.leadChart = chart;
      target.push({ kind: 'chart', chart });
    },
    markdown: (text) => target.push({ kind: 'markdown', text }),
    tiles: (series) => {
      // The tiles the data can fill; those it cannot are one line saying what they need.
      const shown = series.filter((s) => s.available);
      const missing = series.filter((s) => !s.available);
      if (shown.length > 0) target.push({ kind: 'tiles', tiles: shown });
      if (missing.length > 0)
        target.push({
          kind: 'unavailable',
          title: missing.map((s) => s.kpi.title).join(', '),
          missing: groupNeeds(missing.flatMap((s) => (s.available ? [] : s.missing))),
        });
    },
    chart: (chart) => {
      if (chart) target.push({ kind: 'chart', chart });
    },
    table: (table) => target.push({ kind: 'table', ...table }),
    unavailable: (title, missing) => target.push({ kind: 'unavailable', title, missing }),
    unknown: (title, reason) => target.push({ kind: 'unknown', title, reason }),
    section: async (title, cells) => {
      const blocks: Block[] = [];
      const outer = target;
      target = blocks;
      const started = performance.now();
      try {
        await cells();
      } finally {
        target = outer;
      }
      const timing = { name: title, ms: performance.now() - started };
      state.timings.push(timing);
      onCell(timing);
      // A section the data can fill nothing of is one line naming what would fill it, not a
      // wall of "n/a" tiles.
      const missing = emptySectionNeeds(blocks);
      outer.push(
        missing
          ? { kind: 'unavailable', title, missing }
          : { kind: 'section', id: slug(title), title, blocks },
      );
    },
  };
  return { context, state };
}

export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 64) || 'section'
  );
}

/**
 * What an empty section would need, table by table ("tickets (created_at, resolved_at)"), when
 * none of its blocks shows anything: only tiles without a value and "not available" notes.
 */
export function emptySectionNeeds(blocks: readonly Block[]): string[] | undefined {
  if (blocks.length === 0) return undefined;
  const needs: string[] = [];
  for (const block of blocks) {
    if (block.kind === 'unavailable') needs.push(...block.missing);
    else if (block.kind === 'tiles' && block.tiles.every((t) => !t.available))
      for (const tile of block.tiles) needs.push(...(tile.available ? [] : tile.missing));
    else return undefined;
  }
  return groupNeeds(needs);
}

/** `tickets.created_at, tickets.resolved_at` → `tickets (created_at, resolved_at)`. */
function groupNeeds(needs: readonly string[]): string[] {
  const byTable = new Map<string, Set<string>>();
  for (const need of needs) {
    // Either table.column, or a need already grouped: "customers (acquired_at, churned_at)".
    const grouped = /^(\S+) \((.*)\)$/.exec(need);
    const [table = need, ...columnList] = grouped
      ? [grouped[1], ...(grouped[2] ?? '').split(', ')]
      : need.split('.');
    const columns = byTable.get(table) ?? new Set<string>();
    for (const column of columnList) if (column) columns.add(column);
    byTable.set(table, columns);
  }
  return [...byTable].map(([table, columns]) =>
    columns.size > 0 ? `${table} (${[...columns].join(', ')})` : table,
  );
}
