import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { usedParams } from '../../data/database.ts';
import { PulseError } from '../../errors.ts';
import { objectsToCsv, renderTextTable } from '../../format/table.ts';
import { BUILT_IN_PARAMS } from '../../kpi/definition.ts';
import { definePeriodMacros } from '../../kpi/run.ts';
import type { CliIo, CommonOptions, ParsedFlags } from '../options.ts';
import { parseParamFlags } from '../options.ts';
import { choosePeriod } from '../period-choice.ts';
import { withDataset } from '../with-dataset.ts';

/** `pulse query SQL_OR_FILE [--param name=value]...`: ad-hoc SQL over the data's tables. */
export async function queryCommand(flags: ParsedFlags, options: CommonOptions, io: CliIo): Promise<number> {
  const arg = flags.positionals.slice(1).join(' ').trim();
  if (!arg)
    throw new PulseError(
      'usage',
      'give SQL or a .sql file, e.g. `pulse query "select count(*) from orders"`',
    );
  const path = resolve(io.cwd, arg);
  const isFile = arg.endsWith('.sql') || (!/\s/.test(arg) && existsSync(path));
  if (isFile && !existsSync(path)) throw new PulseError('usage', `${arg}: no such file`);
  // A KPI file runs as a whole-business query: its breakdown slot becomes NULL.
  const sql = (isFile ? await readFile(path, 'utf8') : arg)
    .replaceAll('{by}', 'NULL::VARCHAR')
    .replace(/;\s*$/, '');
  const params: Record<string, string | number | boolean> = {};
  for (const [name, text] of Object.entries(parseParamFlags(flags.values.param)))
    params[name] = typedParam(text);
  return withDataset(options, async (dataset) => {
    const errors = dataset.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      io.stderr(
        `warning: the data has contract errors (${errors.length} kinds); \`pulse check\` lists them\n`,
      );
    }
    const needsPeriod = usedParams(sql).some(
      (n) => (BUILT_IN_PARAMS as readonly string[]).includes(n) && !(n in params),
    );
    if (needsPeriod) {
      const { span, note } = await choosePeriod(flags.values, dataset, options.now);
      if (note) io.stderr(`${note}\n`);
      Object.assign(params, { start: span.start, end: span.end, grain: span.grain, ...params });
    }
    await definePeriodMacros(dataset.db);
    const started = performance.now();
    const result = await dataset.db.query(sql, params);
    const ms = performance.now() - started;
    if (options.format === 'json') io.stdout(`${JSON.stringify(result.rows, null, 2)}\n`);
    else if (options.format === 'csv') io.stdout(objectsToCsv(result.rows));
    else {
      const columns = result.columns.map((c) => ({
        header: c.name,
        align: /INT|DECIMAL|DOUBLE|FLOAT|NUMERIC/.test(c.type) ? ('right' as const) : ('left' as const),
      }));
      const cells = result.rows.map((row) => result.columns.map((c) => showCell(row[c.name])));
      io.stdout(`${renderTextTable(columns, cells)}\n`);
      io.stderr(`${result.rows.length} rows in ${ms.toFixed(0)} ms\n`);
    }
    return 0;
  });
}

function typedParam(text: string): string | number | boolean {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

function showCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : value.toFixed(4).replace(/0+$/, '');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
