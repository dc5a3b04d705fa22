import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { usedParams } from '../../data/database.ts';
import type { Dataset } from '../../data/dataset.ts';
import { rowNouns } from '../../data/problems.ts';
import { formatShare, tableRejectShares } from '../../data/rejects.ts';
import { formatResultTable } from '../../dev/result-table.ts';
import { PulseError } from '../../errors.ts';
import { objectsToCsv } from '../../format/table.ts';
import { readCatalog } from '../../kpi/catalog.ts';
import { BUILT_IN_PARAMS } from '../../kpi/definition.ts';
import { typedParam } from '../../kpi/exact-number.ts';
import { definePeriodMacros } from '../../kpi/run.ts';
import { stateDirFor } from '../../project.ts';
import type { CliIo, CommonOptions, ParsedFlags } from '../options.ts';
import { parseParamFlags } from '../options.ts';
import { choosePeriod } from '../period-choice.ts';
import { withDataset } from '../with-dataset.ts';

// Ad-hoc SQL may save a result with COPY (...) TO 'out/name.csv', inside the output folder only.
const WRITE_OUTPUT = { writeOutput: true } as const;

/** Where the interactive prompt reads and echoes; the process's own streams by default. */
export interface PromptStreams {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly terminal: boolean;
}

/**
 * `pulse query SQL_OR_FILE [--param name=value]...`: ad-hoc SQL over the data's tables.
 * Without SQL: the interactive prompt (lib/dev/query-prompt.ts).
 */
export async function queryCommand(
  flags: ParsedFlags,
  options: CommonOptions,
  io: CliIo,
  streams: PromptStreams = {
    input: process.stdin,
    output: process.stdout,
    terminal: Boolean(process.stdin.isTTY && process.stdout.isTTY),
  },
): Promise<number> {
  const arg = flags.positionals.slice(1).join(' ').trim();
  if (!arg) return queryPrompt(flags, options, io, streams);
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
  return withDataset(
    options,
    async (dataset) => {
      warnOfContractErrors(dataset, io);
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
        io.stdout(`${formatResultTable(result.columns, result.rows)}\n`);
        io.stderr(`${result.rows.length} rows in ${ms.toFixed(0)} ms\n`);
      }
      return 0;
    },
    WRITE_OUTPUT,
  );
}

async function queryPrompt(
  flags: ParsedFlags,
  options: CommonOptions,
  io: CliIo,
  streams: PromptStreams,
): Promise<number> {
  const { runQueryPrompt } = await import('../../dev/query-prompt.ts');
  const params: Record<string, string | number | boolean> = {};
  for (const [name, text] of Object.entries(parseParamFlags(flags.values.param)))
    params[name] = typedParam(text);
  const stateDir = stateDirFor(io.env, io.cwd);
  return withDataset(
    options,
    async (dataset) => {
      warnOfContractErrors(dataset, io);
      // $start, $end and $grain mean the period asked for, or the last complete month.
      const chosen = await choosePeriod(flags.values, dataset, options.now).catch(() => undefined);
      const span = chosen?.span;
      await definePeriodMacros(dataset.db);
      await runQueryPrompt({
        ...streams,
        write: io.stdout,
        writeError: io.stderr,
        dataset,
        catalog: () => readCatalog(options.project.queries),
        params: span ? { start: span.start, end: span.end, grain: span.grain, ...params } : params,
        historyFile: `${stateDir}/query_history`,
        ...(span ? { periodNote: `$start, $end, $grain = ${span.start}, ${span.end}, ${span.grain}` } : {}),
      });
      return 0;
    },
    WRITE_OUTPUT,
  );
}

// The contract tables hold only the rows that passed the checks: a count over them is not the
// export's, and says so, with what was left out. Customers derived from orders lose no row of
// their own, yet lack those the rejected orders would have given.
function warnOfContractErrors(dataset: Dataset, io: CliIo): void {
  const errors = dataset.problems.filter((p) => p.severity === 'error');
  if (errors.length === 0) return;
  const shares = tableRejectShares(dataset.rejects.tables);
  const lost = shares.map(
    (t) =>
      `${t.rows.toLocaleString('en-US')} of ${t.total.toLocaleString('en-US')} rows of ${t.table} (${formatShare(t.share)})`,
  );
  const derived: string[] = [];
  for (const { table, derivedFrom } of dataset.tables) {
    const source = shares.find((t) => t.table === derivedFrom);
    if (!source) continue;
    const [row, rows] = rowNouns(source.table);
    const [one] = rowNouns(table);
    const n = source.rows;
    derived.push(
      `${table} come from ${source.table}: the ${n.toLocaleString('en-US')} ${n === 1 ? `${row} rejected leaves` : `${rows} rejected leave`} out any ${one} with no other ${row} (and a ${one} whose first ${row} was rejected is dated by the next)`,
    );
  }
  io.stderr(
    lost.length > 0
      ? `warning: rows rejected for contract errors are not in the tables you query: ${[lost.join(', '), ...derived].join('; ')}; \`pulse check\` lists them\n`
      : `warning: the data has contract errors (${errors.length} kinds); \`pulse check\` lists them\n`,
  );
}
