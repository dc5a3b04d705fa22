import type { TableName } from '../../data/contract.ts';
import { assertNoErrors, type Dataset } from '../../data/dataset.ts';
import { leftOutNote, type TableRejectShare } from '../../data/rejects.ts';
import { isScopeDimension, SCOPE_DIMENSIONS, scopeParams } from '../../data/scope.ts';
import { PulseError } from '../../errors.ts';
import { readCatalog } from '../../kpi/catalog.ts';
import { datasetCoverage, periodCoverage, uncoveredMessage } from '../../kpi/coverage.ts';
import type { KpiDefinition } from '../../kpi/definition.ts';
import { type ComparedResult, runKpiCompared } from '../../kpi/run-compared.ts';
import { tablesRead } from '../../kpi/tables-read.ts';
import { readTargets } from '../../kpi/targets.ts';
import {
  createPeriodRejects,
  createRejectedReads,
  lostByPeriod,
  withoutComparisons,
  withoutPeriodComparisons,
} from '../../report/rejected-reads.ts';
import { classifyKpi, scopedTargets } from '../../report/scoped-kpis.ts';
import type { CliIo, CommonOptions, ParsedFlags } from '../options.ts';
import { parseParamFlags } from '../options.ts';
import { choosePeriod } from '../period-choice.ts';
import { renderKpiResults } from '../render-kpis.ts';
import { withDataset } from '../with-dataset.ts';

/** `pulse kpi ID... [--period | --from --to] [--grain] [--by] [--param] [--format]`; `--param region=EMEA` scopes. */
export async function kpiCommand(flags: ParsedFlags, options: CommonOptions, io: CliIo): Promise<number> {
  const catalog = await readCatalog(options.project.queries);
  const ids = flags.positionals.slice(1);
  if (ids.length === 0 && !flags.values.all) {
    throw new PulseError(
      'usage',
      'name at least one KPI, e.g. `pulse kpi close_rate`; `pulse list` shows them all',
    );
  }
  const kpis = flags.values.all
    ? catalog.kpis.filter((k) => k.unit !== 'table')
    : ids.map((id) => catalog.get(id));
  const given = parseParamFlags(flags.values.param);
  // `--param region=EMEA` scopes the data as in a report; the other params are the KPIs'.
  const scope = scopeParams(given);
  const params = Object.fromEntries(Object.entries(given).filter(([name]) => !isScopeDimension(name)));
  const unknown = Object.keys(params).filter(
    (name) => !kpis.some((k) => k.params.some((p) => p.name === name)),
  );
  if (unknown.length > 0) {
    const declared = [...new Set(kpis.flatMap((k) => k.params.map((p) => p.name)))];
    throw new PulseError(
      'usage',
      `--param ${unknown[0]} is not a parameter of ${kpis.map((k) => k.id).join(', ')}; ${declared.length ? `parameters: ${declared.join(', ')}` : 'they take none'} (and ${SCOPE_DIMENSIONS.join(', ')} scope the data)`,
    );
  }
  const by = flags.values.by;
  // A large export: only the tables these KPIs read are read and checked (and targets, to
  // compare with). A scope filters every table by its customers, so it reads them all.
  const read = Object.keys(scope).length > 0 ? undefined : await tablesRead(kpis, by);
  const tables = read ? new Set([...read, 'targets' as const]) : undefined;
  const show = (io: CliIo, tables?: ReadonlySet<TableName>) =>
    withDataset(options, (dataset) => showKpis(dataset, { flags, options, kpis, params, by }, io), {
      scope,
      ...(tables ? { tables } : {}),
    });
  if (!tables) return show(io);
  // The tables are those DuckDB's parse of the SQL names. SQL that reads one some other way (a
  // column of the export's own through a join the contract deems unused) fails on a table left
  // closed: it runs again on the tables of the SQL as written (not every table, whose own errors
  // would hide the KPI's), and only the run that finished is shown.
  return withHeldOutput(
    io,
    (held) => show(held, tables),
    async (error) => {
      // Only a KPI that failed to bind, or read a closed table, can fail for the tables left
      // closed; any other error is the KPI's or the data's, said after what the run printed.
      const closedFailure =
        error instanceof PulseError &&
        error.code === 'query' &&
        /Binder Error|was not read for this command/.test(error.message);
      if (!closedFailure) return undefined;
      const written = await tablesRead(kpis, by, undefined, true);
      // SQL DuckDB cannot parse reads, as far as anyone can tell, every table.
      if (!written) return () => show(io);
      const retry = new Set([...written, 'targets' as const]);
      return [...retry].every((table) => tables.has(table)) ? undefined : () => show(io, retry);
    },
  );
}

interface KpiAsk {
  readonly flags: ParsedFlags;
  readonly options: CommonOptions;
  readonly kpis: readonly KpiDefinition[];
  /** The KPIs' own params, as typed (the scope's are the dataset's). */
  readonly params: Readonly<Record<string, string>>;
  readonly by: string | undefined;
}

/** Computes, compares and prints the KPIs on an open dataset. */
async function showKpis(dataset: Dataset, ask: KpiAsk, io: CliIo): Promise<number> {
  const { flags, options, kpis, params, by } = ask;
  assertNoErrors(dataset);
  const { span, note } = await choosePeriod(flags.values, dataset, options.now);
  if (note) io.stderr(`${note}\n`);
  const coverage = await datasetCoverage(dataset);
  if (periodCoverage(span, coverage) === 'none')
    throw new PulseError('no_data', uncoveredMessage(span, coverage));
  const targets = await readTargets(dataset);
  const companyWide: string[] = [];
  const results: ComparedResult[] = [];
  for (const kpi of kpis) {
    // In a scope a KPI is the scope's own, company-wide, or not available, as in a report.
    const scopeClass = dataset.scope ? classifyKpi(kpi, by, dataset.scope) : { kind: 'scoped' as const };
    if (scopeClass.kind === 'unavailable') {
      results.push({ kpi, available: false, missing: scopeClass.missing, rows: [] });
      continue;
    }
    if (scopeClass.kind === 'company-wide') companyWide.push(kpi.id);
    const own = Object.fromEntries(
      Object.entries(params).filter(([name]) => kpi.params.some((p) => p.name === name)),
    );
    const request = { span, params: own, ...(by ? { by } : {}) };
    const kpiTargets =
      dataset.scope && scopeClass.kind === 'scoped' ? scopedTargets(targets, dataset.scope) : targets;
    results.push(await runKpiCompared(dataset, kpi, request, kpiTargets));
  }
  if (dataset.scope) {
    io.stderr(
      `scope: ${dataset.scope.label} (${dataset.scope.customers} of ${dataset.scope.totalCustomers} customers)\n`,
    );
    if (companyWide.length > 0)
      io.stderr(`company-wide, not split by ${dataset.scope.dimensions}: ${companyWide.join(', ')}\n`);
  }
  // Allowed rejects are never silent: said on stderr, and on every JSON or CSV row, as the
  // share of each table a KPI reads (as the report says it).
  const rejected = await rejectedReadsOf(dataset, results);
  const leftOut = leftOutNote(rejected);
  if (leftOut) io.stderr(`pulse: ${leftOut}\n`);
  // A KPI reading a table that lost a material share, or a period that did, is not
  // compared, as in the report.
  const periodRejects = createPeriodRejects(dataset);
  const shown: ComparedResult[] = [];
  for (const result of results) {
    if (!result.available || result.kpi.unit === 'table') {
      shown.push(result);
      continue;
    }
    const reads = rejected.get(result.kpi.id) ?? [];
    const lost = await lostByPeriod(dataset, periodRejects, result.kpi, reads, result.compared);
    const compared = withoutPeriodComparisons(withoutComparisons(result.compared, reads), lost, result.kpi);
    shown.push({ ...result, compared });
  }
  io.stdout(renderKpiResults(shown, span, options.format, options, Boolean(flags.values.all), rejected));
  return 0;
}

/**
 * Runs `attempt` with its stdout and stderr held. On success they are shown in order; on failure
 * `retry` may give another attempt, which alone is shown, or none: then what the attempt printed
 * is shown, and its error thrown.
 */
async function withHeldOutput(
  io: CliIo,
  attempt: (held: CliIo) => Promise<number>,
  retry: (error: unknown) => Promise<(() => Promise<number>) | undefined>,
): Promise<number> {
  const held: { to: 'stdout' | 'stderr'; text: string }[] = [];
  let code: number;
  try {
    code = await attempt({
      ...io,
      stdout: (text) => held.push({ to: 'stdout', text }),
      stderr: (text) => held.push({ to: 'stderr', text }),
    });
  } catch (error) {
    const again = await retry(error);
    if (again) return again();
    for (const { to, text } of held) io[to](text);
    throw error;
  }
  for (const { to, text } of held) io[to](text);
  return code;
}

/** Per KPI computed, the tables with rejected rows it reads. */
async function rejectedReadsOf(
  dataset: Dataset,
  results: readonly ComparedResult[],
): Promise<Map<string, readonly TableRejectShare[]>> {
  const reads = createRejectedReads(dataset);
  const byKpi = new Map<string, readonly TableRejectShare[]>();
  for (const result of results) {
    if (!result.available) continue;
    const read = await reads(result.kpi, result.by);
    if (read.length > 0) byKpi.set(result.kpi.id, read);
  }
  return byKpi;
}
