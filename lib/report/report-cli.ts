import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type CliIo, commonOptions, parseFlags, parseParamFlags } from '../cli/options.ts';
import { PulseError } from '../errors.ts';
import { formatKpiValue } from '../format/values.ts';
import { parsePeriod } from '../kpi/period.ts';
import { PROJECT_ROOT } from '../paths.ts';
import type { ReportDefinition } from './define.ts';
import { buildParamsFolder } from './params-folder.ts';
import { runReport } from './run-report.ts';
import { writeReportOutputs } from './write-outputs.ts';

/**
 * `tsx reports/<name>.ts [--period] [--data] [--out] [--tz] [--pdf] [--param k=v]` and
 * `pulse report <name> ...`: run, write, then say where and the headline numbers.
 */
export async function runReportCommand(
  definition: ReportDefinition,
  argv: readonly string[],
  io: CliIo & { readonly isTty: boolean },
): Promise<number> {
  const flags = parseFlags(argv);
  const options = commonOptions(flags.values, io);
  const started = performance.now();
  const progress = (text: string) => {
    if (io.isTty) io.stderr(text);
  };
  progress(`${definition.title}: running cells\n`);
  const params = parseParamFlags(flags.values.param);
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
    onCell: (cell) => progress(`  ✓ ${cell.name.padEnd(36)} ${cell.ms.toFixed(0).padStart(6)} ms\n`),
  });
  if (run.periodNote) io.stderr(`${run.periodNote}\n`);
  // As `pulse send` does: out/<name=value,...>/<report>/<period>/, so a region's report never
  // overwrites the company's.
  const outRoot = resolve(io.cwd, flags.values.out ?? io.env.PULSE_OUT ?? `${PROJECT_ROOT}/out`);
  const paramsFolder = buildParamsFolder(params);
  const written = await writeReportOutputs(run, {
    outRoot: paramsFolder ? join(outRoot, paramsFolder) : outRoot,
    pdf: Boolean(flags.values.pdf),
  });
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
      `  files: ${written.files.filter((f) => !f.startsWith('charts/')).join(', ')}, charts/ (${written.files.filter((f) => f.startsWith('charts/')).length} PNG)`,
      '',
    ].join('\n'),
  );
  return 0;
}

/** Lets a report script run itself: `tsx reports/monthly.ts`. */
export async function runIfMain(moduleUrl: string, definition: ReportDefinition): Promise<void> {
  const entry = process.argv[1];
  if (!entry || pathToFileURL(resolve(entry)).href !== moduleUrl) return;
  const { runCliCommand } = await import('../cli/run-cli.ts');
  process.exitCode = await runCliCommand(
    () =>
      runReportCommand(definition, process.argv.slice(2), {
        stdout: (t) => process.stdout.write(t),
        stderr: (t) => process.stderr.write(t),
        env: process.env,
        cwd: process.cwd(),
        isTty: Boolean(process.stderr.isTTY),
      }),
    (t) => process.stderr.write(t),
  );
}

export interface LoadReportOptions {
  /** Default: the project's reports/. The dev server passes the folder it previews. */
  readonly reportsDir?: string;
  /**
   * Import the file as it is now, not as this process first saw it: the module URL carries the
   * file's mtime (`?v=<ns>`), so an unchanged file stays one module and a saved one is new.
   */
  readonly fresh?: boolean;
}

/** reports/<name>.ts, checked to be a plain name inside the project. */
export async function loadReport(name: string, options: LoadReportOptions = {}): Promise<ReportDefinition> {
  if (!/^[a-z0-9_-]{1,64}$/.test(name)) {
    throw new PulseError('usage', `report name "${name}" must be lower-case letters, digits, - or _`);
  }
  const path = `${options.reportsDir ?? `${PROJECT_ROOT}/reports`}/${name}.ts`;
  const found = await stat(path, { bigint: true }).catch(() => undefined);
  if (!found?.isFile()) throw new PulseError('usage', `no report "${name}" (looked for reports/${name}.ts)`);
  // An integer: a dot in the query would read as a file extension to some loaders (vite).
  const url = `${pathToFileURL(path).href}${options.fresh ? `?v=${found.mtimeNs}` : ''}`;
  const module = (await import(url)) as { default?: ReportDefinition };
  if (!module.default)
    throw new PulseError('usage', `reports/${name}.ts must export default defineReport({...})`);
  return module.default;
}
