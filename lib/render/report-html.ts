import type { Chart } from '../charts/chart.ts';
import { renderSvg } from '../charts/render.ts';
import { buildSparkline } from '../charts/sparkline.ts';
import { showBidiOverrides } from '../format/control-characters.ts';
import { drawnValues } from '../kpi/compare.ts';
import { formatLocal } from '../kpi/local-date.ts';
import type { Grain } from '../kpi/period.ts';
import type { Block, KpiSeries, ReportDocument } from './content.ts';
import { renderMarkdown } from './markdown.ts';
import { loadTemplates } from './templates.ts';
import { buildTileView } from './tile-view.ts';

/** How to render; the currency and locale are the document's own (`document.format`). */
export interface RenderOptions {
  readonly grain: Grain;
}

/** The self-contained web report: inline CSS, fonts and SVG; opens from disk, fetches nothing. */
export async function renderReportHtml(document: ReportDocument, options: RenderOptions): Promise<string> {
  const templates = loadTemplates();
  const ids = new Set<string>();
  const blocks = [];
  const view = { ...options, format: document.format };
  for (const block of document.blocks) blocks.push(await blockView(block, view, ids));
  // The data's text is in the titles, labels and sentences: none may reverse a run of the page.
  return showBidiOverrides(
    templates.report({
      ...document,
      dataAsOf: document.dataAsOf ?? 'unknown',
      generatedAt: formatInstant(document.generatedAt, document.timeZone),
      css: templates.css,
      blocks,
    }),
  );
}

type ViewOptions = RenderOptions & { readonly format: ReportDocument['format'] };

async function blockView(
  block: Block,
  options: ViewOptions,
  ids: Set<string>,
): Promise<Record<string, unknown>> {
  switch (block.kind) {
    case 'section': {
      const blocks = [];
      for (const child of block.blocks) blocks.push(await blockView(child, options, ids));
      return { isSection: true, id: uniqueId(block.id, ids), title: block.title, blocks };
    }
    case 'markdown':
      return { isMarkdown: true, markdownHtml: renderMarkdown(block.text) };
    case 'tiles': {
      const tiles = [];
      for (const series of block.tiles) tiles.push(await tileView(series, options));
      return { isTiles: true, tiles, ...(block.note ? { tilesNote: block.note } : {}) };
    }
    case 'chart':
      return { isChart: true, ...(await chartView(block.chart, ids)) };
    case 'table':
      return { isTable: true, ...tableView(block) };
    case 'unavailable':
      return { isUnavailable: true, title: block.title, missing: block.missing.join(', ') };
    case 'unknown':
      // "no data for December 2016: the data starts ..." says itself; any other reason is why unknown.
      return {
        isUnknown: true,
        title: block.title,
        reason: /^no data/i.test(block.reason) ? block.reason : `unknown (${block.reason})`,
      };
  }
}

async function tileView(series: KpiSeries, options: ViewOptions) {
  const view = buildTileView(series, options.grain, options.format);
  if (!series.available || series.history.length < 2) return view;
  // Only the values that may be compared: a partial period, or a sum over mostly unknown
  // amounts, would draw a climb or a dip the business never had. With none, no sparkline: the
  // tile's own note says why, and "No data" under a value would contradict it.
  // Periods that all lost the same share of rejected rows are drawn; the tile's note says it.
  const values = drawnValues(series.history);
  const points = series.history.map((r, i) => ({ period: r.period_start, value: values[i] ?? null }));
  if (points.every((p) => p.value === null)) return view;
  const sparkline = buildSparkline({
    id: `spark-${series.kpi.id}`,
    title: `${series.kpi.title}, last ${series.history.length} periods`,
    unit: series.kpi.unit,
    points,
    format: options.format,
  });
  return { ...view, sparklineSvg: await renderSvg(sparkline), sparklineAlt: sparkline.alt };
}

async function chartView(chart: Chart, ids: Set<string>) {
  return {
    id: uniqueId(chart.id, ids),
    title: chart.title,
    caption: chart.caption,
    alt: chart.alt,
    svg: await renderSvg(chart),
    table: tableView({
      columns: chart.table.columns.map((header, i) => ({ header, align: i === 0 ? 'left' : 'right' })),
      rows: chart.table.rows,
    }),
  };
}

export function tableView(table: {
  title?: string;
  caption?: string;
  columns: readonly { header: string; align?: 'left' | 'right' }[];
  rows: readonly (readonly string[])[];
}) {
  const aligns = table.columns.map((c) => c.align ?? 'left');
  return { ...table, columns: table.columns.map((c, i) => ({ header: c.header, align: aligns[i] })), aligns };
}

function uniqueId(id: string, ids: Set<string>): string {
  let candidate = id;
  for (let n = 2; ids.has(candidate); n++) candidate = `${id}-${n}`;
  ids.add(candidate);
  return candidate;
}

/**
 * 2026-11-01T23:30:00Z → 2026-11-02 00:30 Europe/Berlin: in the zone the report counts its days
 * in, so "N days before this report" (stale-export.ts) counts from the day the header shows.
 */
export function formatInstant(iso: string, timeZone: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatLocal(date, timeZone);
}
