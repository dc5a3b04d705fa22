// The dev server's pages. Every value is escaped (escapeHtml) or passed as JSON in a
// <script type="application/json"> the client reads with JSON.parse (jsonForScript).

import { readFileSync } from 'node:fs';
import { showBidiOverrides } from '../format/control-characters.ts';
import type { KpiDefinition } from '../kpi/definition.ts';
import { DIRECTIONS, UNITS } from '../kpi/definition.ts';
import { buildKpiListing } from '../kpi/kpi-listing.ts';
import { escapeHtml } from '../render/escape.ts';
import { jsonForScript } from './http.ts';
import type { PreviewStatus } from './preview-session.ts';

const asset = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
const PREVIEW_CLIENT = asset('preview-client.js');
const SCRATCHPAD_CLIENT = asset('scratchpad.js');
const PAGE_CSS = asset('pages.css');

export type DevStatus = PreviewStatus & { readonly session: string };

/** The report's HTML with the live-preview client before </body>. */
export function buildPreviewPage(reportHtml: string | undefined, status: DevStatus): string {
  const page =
    reportHtml ??
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>pulse dev</title></head><body><main style="font:16px system-ui;padding:2rem"><h1>${showBidiOverrides(escapeHtml(status.title ?? 'pulse dev'))}</h1><p>${status.running ? 'Running the report…' : 'No render yet.'}</p></main></body></html>`;
  const config = { version: reportHtml ? status.version : 0, session: status.session, status };
  const client = `<script type="application/json" id="pulse-dev-config">${jsonForScript(config)}</script>\n<script>${PREVIEW_CLIENT}</script>\n`;
  const at = page.lastIndexOf('</body>');
  return at < 0 ? page + client : `${page.slice(0, at)}${client}${page.slice(at)}`;
}

export interface IndexPageInput {
  readonly status: DevStatus;
  readonly kpis: readonly KpiDefinition[] | undefined;
  /** Why the catalog could not be read, when it could not. */
  readonly catalogError?: string;
  /** A file as the analyst knows it (relative to the project). */
  readonly shortPath: (path: string) => string;
}

/** Reports and KPIs (`pulse list`), each with a way to open it. */
export function buildIndexPage(input: IndexPageInput): string {
  const { status } = input;
  const reports = status.reports
    .map(
      (name) =>
        `<li><a href="/?report=${encodeURIComponent(name)}">${escapeHtml(name)}</a>${name === status.report ? ' <span class="muted">(in the preview)</span>' : ''}</li>`,
    )
    .join('');
  const rows = (input.kpis ?? [])
    .map(buildKpiListing)
    .map(
      (k) =>
        `<tr><td><a href="/sql?kpi=${encodeURIComponent(k.id)}"><code>${escapeHtml(k.id)}</code></a></td><td>${escapeHtml(k.area)}</td><td>${escapeHtml(k.title)}</td><td>${escapeHtml(k.unit)}</td><td>${escapeHtml(k.tables)}</td><td>${escapeHtml(k.breakdowns)}</td><td>${escapeHtml(k.params)}</td><td><code>${escapeHtml(input.shortPath(k.file))}</code></td></tr>`,
    )
    .join('');
  const body = `<h1>Reports and KPIs</h1>
<h2>Reports</h2>
<ul class="reports">${reports || '<li>No report in reports/.</li>'}</ul>
<h2>KPIs</h2>
${input.catalogError ? `<pre class="error">${escapeHtml(input.catalogError)}</pre>` : ''}
<p class="muted">${(input.kpis ?? []).length} KPIs. A KPI's id opens it in the SQL scratchpad.</p>
<table class="kpis"><thead><tr><th scope="col">id</th><th scope="col">area</th><th scope="col">title</th><th scope="col">unit</th><th scope="col">tables</th><th scope="col">by</th><th scope="col">params</th><th scope="col">file</th></tr></thead><tbody>${rows}</tbody></table>`;
  // KPI titles (a project's .sql files), report names, an error quoting them: none may reverse
  // a run of the page, as on the report's own. The page has no script to change the meaning of.
  return showBidiOverrides(layout('Reports and KPIs', body));
}

export interface SqlPageInput {
  readonly kpis: readonly KpiDefinition[];
  readonly tables: readonly { readonly table: string; readonly columns: readonly string[] }[];
  readonly selected?: string;
  /** Where $start, $end and $grain come from, for the page to say. */
  readonly periodNote: string;
  readonly catalogError?: string;
}

export function buildSqlPage(input: SqlPageInput): string {
  const selected = input.kpis.find((k) => k.id === input.selected);
  const config = {
    kpis: input.kpis.map((k) => ({
      id: k.id,
      title: k.title,
      sql: k.sql,
      breakdowns: k.breakdowns.map((b) => b.name),
      params: k.params,
    })),
  };
  // A label is only shown (a KPI's title from a project's .sql): its marks that reverse a run of
  // text are escaped; the SQL in the editor stays as written, as it is what runs.
  const option = (value: string, label: string, isSelected: boolean) =>
    `<option value="${escapeHtml(value)}"${isSelected ? ' selected' : ''}>${showBidiOverrides(escapeHtml(label))}</option>`;
  const kpiOptions = input.kpis.map((k) => option(k.id, `${k.id}: ${k.title}`, k === selected)).join('');
  const tables = input.tables
    .map(
      (t) =>
        `<button type="button" class="chip" data-table="${escapeHtml(t.table)}" title="${escapeHtml(t.columns.join(', '))}">${escapeHtml(t.table)}</button>`,
    )
    .join(' ');
  const areas = [...new Set(input.kpis.map((k) => k.area))].map((a) => option(a, a, false)).join('');
  const initialSql =
    selected?.sql ?? 'SELECT segment, count(*) AS customers\nFROM customers\nGROUP BY ALL\nORDER BY 2 DESC';
  const body = `<h1>SQL scratchpad</h1>
<form id="query-form" class="panel">
  <label for="sql">SQL over the data's tables <span class="muted">(Ctrl+Enter runs; ${escapeHtml(input.periodNote)})</span></label>
  <textarea id="sql" name="sql" rows="10" spellcheck="false">${escapeHtml(initialSql)}</textarea>
  <p class="tables">Tables: ${tables}</p>
  <button type="submit" id="run">Run</button>
</form>
<section class="panel" aria-labelledby="kpi-heading">
  <h2 id="kpi-heading">Run a KPI</h2>
  ${input.catalogError ? `<pre class="error">${escapeHtml(input.catalogError)}</pre>` : ''}
  <label>KPI <select id="kpi">${kpiOptions}</select></label>
  <label>by <select id="kpi-by"></select></label>
  <span id="kpi-params"></span>
  <button type="button" id="run-kpi">Run KPI</button>
  <button type="button" id="load-kpi">Put its SQL in the editor</button>
</section>
<section id="result" class="panel" aria-live="polite" hidden>
  <h2>Result</h2>
  <p id="result-meta"></p>
  <pre id="result-error" class="error"></pre>
  <div id="result-chart"></div>
  <div class="scroll"><table id="result-table"><thead></thead><tbody></tbody></table></div>
</section>
<form id="save-form" class="panel">
  <h2>Save the query as a KPI</h2>
  <p class="muted">Writes <code>queries/&lt;area&gt;/&lt;id&gt;.sql</code> with a header; it must return period_start, period_end and value (or numerator and denominator) from <code>periods($start, $end, $grain)</code>. Existing files are never overwritten.</p>
  <label>area <input name="area" list="areas" required pattern="[a-z0-9_\\-]{1,64}"></label>
  <datalist id="areas">${areas}</datalist>
  <label>id <input name="id" required pattern="[a-z0-9_]{1,64}"></label>
  <label>title <input name="title" required></label>
  <label>unit <select name="unit">${UNITS.map((u) => option(u, u, u === 'count')).join('')}</select></label>
  <label>direction <select name="direction">${DIRECTIONS.map((d) => option(d, d, d === 'up')).join('')}</select></label>
  <label class="wide">description <input name="description"></label>
  <button type="submit" id="save">Save as KPI</button>
  <p id="save-result" role="status"></p>
</form>
<script type="application/json" id="pulse-sql-config">${jsonForScript(config)}</script>
<script>${SCRATCHPAD_CLIENT}</script>`;
  return layout('SQL scratchpad', body);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}: pulse dev</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<nav><strong>pulse dev</strong> <a href="/">Preview</a> <a href="/index">Reports and KPIs</a> <a href="/sql">SQL scratchpad</a></nav>
<main>
${body}
</main>
</body>
</html>
`;
}
