// `pulse report NAME` and `tsx reports/NAME.ts`: runs a report's cells, writes its outputs and
// prints the headline numbers.

import { join } from 'node:path';
import { formatKpiValue } from '../../format/values.ts';
import { parsePeriod } from '../../kpi/period.ts';
import { stateDirFor } from '../../project.ts';
import type { ReportDefinition } from '../../report/define.ts';
import { buildParamsFolder } from '../../report/params-folder.ts';
import { runReport } from '../../report/run-report.ts';
import { writeReportOutputs } from '../../report/write-outputs.ts';
import { keepKpiCount, kpiCountKey, lastKpiCount } from '../kpi-count.ts';
import { type CliIo, commonOptions, parseFlags, parseParamFlags } from '../options.ts';
import { createStatusLine } from '../status-line.ts';

export async function runReportCommand(
  definition: ReportDefinition,
  argv: readonly string[],
  io: CliIo & { readonly isTty: boolean },
): Promise<number> {
  const flags = parseFlags(argv);
  const options = commonOptions(flags.values, io);
  const started = performance.now();
  const params = parseParamFlags(flags.values.param);
  const paramsFolder = buildParamsFolder(params);
  // The count of KPIs is known only after a run: the last one's says "KPI 12 of about 50".
  const stateDir = stateDirFor(io.env, io.cwd);
  const countKey = kpiCountKey({
    report: definition.name,
    paramsFolder,
    dataDir: options.dataDir,
    mapping: options.mapping,
  });
  const kpisExpected = io.isTty ? await lastKpiCount(stateDir, countKey) : undefined;
  let kpisComputed = 0;
  const status = createStatusLine(io.terminal ?? io.stderr, {
    isTty: Boolean(io.isTty),
    env: io.env,
    columns: process.stderr.columns,
    ...(kpisExpected ? { kpisExpected } : {}),
  });
  const progress = (text: string) => {
    if (io.isTty) status.print(text);
  };
  progress(`${definition.title}: running cells\n`);
  const run = await runReport(definition, {
    dataDir: options.dataDir,
    timeZone: options.timeZone,
    now: options.now,
    ...(flags.values.period ? { period: parsePeriod(flags.values.period) } : {}),
    params,
    format: { currency: options.currency, locale: options.locale },
    ...(options.mapping ? { mapping: options.mapping } : {}),
    allowRejects: options.allowRejects,
    maxRejectShare: options.maxRejectShare,
    engine: options.engine,
    queryFolders: options.project.queries,
    ...(options.company ? { company: options.company } : {}),
    onCell: (cell) => progress(`  ✓ ${cell.name.padEnd(36)} ${cell.ms.toFixed(0).padStart(6)} ms\n`),
    onProgress: (step) => {
      if (step.stage === 'kpi') kpisComputed = Math.max(kpisComputed, step.n);
      status.update(step);
    },
  }).finally(status.done);
  if (io.isTty) await keepKpiCount(stateDir, countKey, kpisComputed);
  if (run.periodNote) io.stderr(`${run.periodNote}\n`);
  // As `pulse send` does: out/<name=value,...>/<report>/<period>/, so a region's report never
  // overwrites the company's.
  const outRoot = options.outDir;
  const written = await writeReportOutputs(run, {
    outRoot: paramsFolder ? join(outRoot, paramsFolder) : outRoot,
    pdf: Boolean(flags.values.pdf),
    onProgress: status.update,
  }).finally(status.done);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const lines = run.document.headline.map((series) => {
    if (!series.available)
      return `  ${series.kpi.title.padEnd(28)} not available (needs ${series.missing.join(', ')})`;
    // As the tile says it: no data, unknown or partial, with why.
    const row = series.current;
    const notes = [row?.coverage_note, row?.unknown_note].filter((n) => typeof n === 'string');
    const value =
      row?.coverage === 'none'
        ? 'no data'
        : row?.value === null && row.unknown_note
          ? 'unknown'
          : formatKpiValue(row?.value ?? null, series.kpi.unit, options);
    return `  ${series.kpi.title.padEnd(28)} ${value}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}${series.companyWide ? ' (company-wide)' : ''}`;
  });
  io.stdout(
    [
      `${run.document.title}, ${run.document.periodLabel}${run.document.scope ? `, ${run.document.scope.label}` : ''}: ${written.dir}/index.html (${seconds} s)`,
      ...(run.document.summary ? [`  ${run.document.summary}`] : []),
      ...lines,
      ...(run.document.headlineGaps ? [`  ${run.document.headlineGaps}`] : []),
      `  files: ${written.files.filter((f) => !f.startsWith('charts/')).join(', ')}, charts/ (${written.files.filter((f) => f.startsWith('charts/')).length} PNG)`,
      '',
    ].join('\n'),
  );
  return 0;
}
