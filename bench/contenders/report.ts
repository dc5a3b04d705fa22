// Contender (a): the monthly report end to end, as `tsx reports/monthly.ts` runs it
// (runReport, then writeReportOutputs), in its own process. Every statement the project sends
// to DuckDB is recorded by wrapping Database.query/run in this process only, so the engine
// floor can replay the exact KPI SQL and parameters.
//
//   node --import tsx bench/contenders/report.ts --data DIR --period 2026-10 --out DIR
//        [--capture FILE] [--patch NAME]...
//
// Prints one JSON line: phase timings, query counts, the headline numbers, peak memory.

import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Database, type SqlParams, usedParams } from '../../lib/data/database.ts';
import { readCatalog } from '../../lib/kpi/catalog.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { runReport } from '../../lib/report/run-report.ts';
import { writeReportOutputs } from '../../lib/report/write-outputs.ts';
import monthly from '../../reports/monthly.ts';
import { headlineValues } from '../lib/headline.ts';
import { applyPatches } from '../lib/patches.ts';
import { cpuMs, peakMemoryKb } from '../lib/proc.ts';
import { digestRows, queryKey } from '../lib/result-digest.ts';
import { type CapturedStatement, isKpiQuery } from '../lib/statements.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    period: { type: 'string', default: '2026-10' },
    out: { type: 'string', default: '/tmp/crm-pulse-bench/out' },
    now: { type: 'string', default: '2026-11-01T06:00:00Z' },
    capture: { type: 'string' },
    patch: { type: 'string', multiple: true, default: [] },
  },
});
if (!values.data) throw new Error('--data is required');

const started = performance.now();
const statements: CapturedStatement[] = [];
let cpuAtFirstKpi: number | undefined;
/** A digest of every KPI query's result, by query, to check the engine floor against. */
const kpiDigests: Record<string, string> = {};
const record = (kind: CapturedStatement['kind'], sql: string, params: SqlParams, t0: number) => {
  const bound: SqlParams = {};
  for (const name of usedParams(sql)) bound[name] = params[name] ?? null;
  statements.push({ kind, sql, params: bound, startMs: t0 - started, ms: performance.now() - t0 });
  return bound;
};
const query = Database.prototype.query;
const run = Database.prototype.run;
Database.prototype.query = async function (this: Database, sql: string, params: SqlParams = {}) {
  if (cpuAtFirstKpi === undefined && isKpiQuery(sql)) cpuAtFirstKpi = cpuMs();
  const t0 = performance.now();
  const result = await query.call(this, sql, params);
  const bound = record('query', sql, params, t0);
  if (isKpiQuery(sql)) kpiDigests[queryKey(sql, bound)] = digestRows(result.rows);
  return result;
};
Database.prototype.run = async function (this: Database, sql: string, params: SqlParams = {}) {
  const t0 = performance.now();
  try {
    return await run.call(this, sql, params);
  } finally {
    record('run', sql, params, t0);
  }
};
// The engine's own statements (macros, shared per-customer state) go through runOwn.
const runOwn = Database.prototype.runOwn;
Database.prototype.runOwn = async function (this: Database, sql: string) {
  const t0 = performance.now();
  try {
    return await runOwn.call(this, sql);
  } finally {
    record('run', sql, {}, t0);
  }
};
const patches = await applyPatches(values.patch);

const runStarted = performance.now();
const cpuStarted = cpuMs();
// The KPI phase starts when the report asks for its first KPI (kept rows send no query).
let firstKpiAsked: number | undefined;
const report = await runReport(monthly, {
  onProgress: (step) => {
    if (step.stage !== 'kpi' || firstKpiAsked !== undefined) return;
    firstKpiAsked = performance.now() - started;
    cpuAtFirstKpi ??= cpuMs();
  },
  dataDir: values.data,
  timeZone: 'UTC',
  now: values.now,
  period: parsePeriod(values.period),
});
const runEnded = performance.now();
const cpuRunEnded = cpuMs();
const written = await writeReportOutputs(report, { outRoot: values.out });
const ended = performance.now();
const cpuEnded = cpuMs();

const kpiQueries = statements.filter((s) => isKpiQuery(s.sql));
const firstKpi =
  firstKpiAsked ??
  (kpiQueries.length > 0 ? Math.min(...kpiQueries.map((s) => s.startMs)) : runEnded - started);
const sum = (list: readonly CapturedStatement[]) => list.reduce((n, s) => n + s.ms, 0);
const catalog = await readCatalog();
// Which KPI each query computes: the one whose SQL (around its {by} placeholder) it contains.
const kpiOf = (sql: string) =>
  catalog.kpis
    .filter((k) => k.sql.split('{by}').every((part) => sql.includes(part)))
    .sort((x, y) => y.sql.length - x.sql.length)[0]?.id;
const labelled = statements.map((s) => (isKpiQuery(s.sql) ? { ...s, kpi: kpiOf(s.sql) } : s));
if (values.capture) await writeFile(values.capture, `${JSON.stringify({ statements: labelled }, null, 1)}\n`);
const headline = headlineValues(report.numbers, parsePeriod(values.period).start, (id) => catalog.get(id));
process.stdout.write(
  `${JSON.stringify({
    contender: 'report',
    patches,
    phases: {
      // Before the first KPI query: discovery, registration, contract validation, freshness, targets.
      load_ms: firstKpi - (runStarted - started),
      // From the first KPI query to the end of the report's cells.
      kpi_ms: runEnded - started - firstKpi,
      render_ms: ended - runEnded,
      total_ms: ended - runStarted,
      startup_ms: runStarted - started,
    },
    // The same phases in CPU time (all threads): less disturbed by other load than wall time.
    cpu_phases: {
      load_ms: (cpuAtFirstKpi ?? cpuRunEnded) - cpuStarted,
      kpi_ms: cpuRunEnded - (cpuAtFirstKpi ?? cpuRunEnded),
      render_ms: cpuEnded - cpuRunEnded,
      total_ms: cpuEnded - cpuStarted,
    },
    statements: statements.length,
    kpi_queries: kpiQueries.length,
    load_statements_ms: sum(statements.filter((s) => s.startMs < firstKpi)),
    kpi_digests: kpiDigests,
    files: written.files.length,
    out: written.dir,
    headline,
    peak_kb: peakMemoryKb(),
  })}\n`,
);
