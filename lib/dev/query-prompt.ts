// `pulse query` with no SQL: an interactive prompt over the data's tables. A statement may span
// lines and ends with `;`; dot commands describe the data and the KPIs. A mistake prints an error
// and the prompt goes on. Works on a terminal (history, line editing) and on piped input.

import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { TABLE_NAMES } from '../data/contract.ts';
import type { Dataset } from '../data/dataset.ts';
import { quoteIdent } from '../data/sql-text.ts';
import { PulseError } from '../errors.ts';
import { renderTextTable } from '../format/table.ts';
import type { Catalog } from '../kpi/catalog.ts';
import { formatResultTable } from './result-table.ts';
import { runScratchQuery } from './scratch-query.ts';

export interface QueryPromptOptions {
  readonly input: NodeJS.ReadableStream;
  /** Where a terminal's prompt and echo go. */
  readonly output: NodeJS.WritableStream;
  readonly terminal: boolean;
  /** Results. */
  readonly write: (text: string) => void;
  /** Errors. */
  readonly writeError: (text: string) => void;
  readonly dataset: Dataset;
  readonly catalog: () => Promise<Catalog>;
  /** Bound to `$name` in every statement: --param values and the period's start, end, grain. */
  readonly params: Readonly<Record<string, string | number | boolean | null>>;
  /** Read at start, one entry appended per statement or command. */
  readonly historyFile?: string;
  /** Said at the start on a terminal: where $start and $end come from. */
  readonly periodNote?: string;
  /** Most rows printed for one statement; the rest are counted. */
  readonly maxRows?: number;
}

export const PROMPT_HELP = `Statements end with ; and may span lines. Commands:
  .tables            the data's tables with their row counts
  .schema TABLE      a table's columns and types
  .kpi ID            a KPI's title, parameters, breakdowns and SQL
  .timer on|off      say how long each statement took
  .help              this text
  .quit              leave (also Ctrl+D)
`;

const PROMPT = 'pulse> ';
const CONTINUE = '   ..> ';
const HISTORY_SIZE = 500;

export async function runQueryPrompt(options: QueryPromptOptions): Promise<void> {
  const history = options.historyFile ? await readHistory(options.historyFile) : [];
  const rl = createInterface({
    input: options.input,
    output: options.output,
    terminal: options.terminal,
    history,
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
  });
  const state = { timer: false, buffer: [] as string[] };
  const prompt = () => {
    if (!options.terminal) return;
    rl.setPrompt(state.buffer.length > 0 ? CONTINUE : PROMPT);
    rl.prompt();
  };
  rl.on('SIGINT', () => {
    // Ctrl+C drops a half-typed statement; on an empty prompt it leaves.
    if (state.buffer.length === 0) rl.close();
    else {
      state.buffer = [];
      options.output.write('\n');
      prompt();
    }
  });
  if (options.terminal) {
    options.output.write(
      `pulse query: SQL over the tables of ${options.dataset.dataDir}. End a statement with ;  .help lists commands.\n${options.periodNote ? `${options.periodNote}\n` : ''}`,
    );
  }
  prompt();
  for await (const line of rl) {
    const trimmed = line.trim();
    if (state.buffer.length === 0 && trimmed.startsWith('.')) {
      await remember(options.historyFile, trimmed);
      if (!(await runCommand(trimmed, options, state))) break;
    } else if (trimmed !== '' || state.buffer.length > 0) {
      state.buffer.push(line);
      if (endsStatement(trimmed)) await runStatement(options, state);
    }
    prompt();
  }
  // Input ended in the middle of a statement: run what there is.
  if (state.buffer.join('').trim() !== '') await runStatement(options, state);
  rl.close();
}

async function runStatement(options: QueryPromptOptions, state: { timer: boolean; buffer: string[] }) {
  const sql = state.buffer.join('\n');
  state.buffer = [];
  await remember(options.historyFile, sql.replace(/\s*\n\s*/g, ' ').trim());
  const maxRows = options.maxRows ?? 1000;
  try {
    const result = await runScratchQuery(options.dataset, sql, options.params, maxRows);
    options.write(`${formatResultTable(result.columns, result.rows)}\n`);
    const more = result.rowCount > result.rows.length ? `, first ${result.rows.length} shown` : '';
    const time = state.timer ? ` in ${result.ms.toFixed(result.ms < 10 ? 1 : 0)} ms` : '';
    options.write(`(${result.rowCount} row${result.rowCount === 1 ? '' : 's'}${more}${time})\n`);
  } catch (error) {
    options.writeError(`error: ${(error as Error).message}\n`);
  }
}

/** Runs a dot command; false means leave. */
async function runCommand(
  line: string,
  options: QueryPromptOptions,
  state: { timer: boolean },
): Promise<boolean> {
  const [command = '', ...args] = line.split(/\s+/);
  try {
    switch (command) {
      case '.quit':
      case '.exit':
        return false;
      case '.help':
        options.write(PROMPT_HELP);
        return true;
      case '.tables': {
        const rows = TABLE_NAMES.map((name) => {
          const found = options.dataset.tables.find((t) => t.table === name);
          return [name, found ? String(found.rows) : '0', found ? found.format : 'no file (empty)'];
        });
        options.write(
          `${renderTextTable([{ header: 'table' }, { header: 'rows', align: 'right' }, { header: 'source' }], rows)}\n`,
        );
        return true;
      }
      case '.schema': {
        const table = args[0];
        if (!table || !(TABLE_NAMES as readonly string[]).includes(table))
          throw new PulseError('usage', `.schema TABLE, where TABLE is one of ${TABLE_NAMES.join(', ')}`);
        const result = await options.dataset.db.query(`DESCRIBE ${quoteIdent(table)}`);
        const columns = ['column_name', 'column_type', 'null'].map((name) => ({ name, type: 'VARCHAR' }));
        options.write(`${formatResultTable(columns, result.rows)}\n`);
        return true;
      }
      case '.kpi': {
        if (!args[0]) throw new PulseError('usage', '.kpi ID, e.g. .kpi close_rate');
        options.write(describeKpi((await options.catalog()).get(args[0])));
        return true;
      }
      case '.timer': {
        if (args[0] !== 'on' && args[0] !== 'off') throw new PulseError('usage', '.timer on or .timer off');
        state.timer = args[0] === 'on';
        return true;
      }
      default:
        throw new PulseError('usage', `unknown command ${command}; .help lists them`);
    }
  } catch (error) {
    options.writeError(`error: ${(error as Error).message}\n`);
    return true;
  }
}

function describeKpi(kpi: ReturnType<Catalog['get']>): string {
  const params = kpi.params.length
    ? renderTextTable(
        [{ header: 'param' }, { header: 'type' }, { header: 'default' }, { header: 'description' }],
        kpi.params.map((p) => [p.name, p.type, String(p.default), p.description]),
      )
    : 'params: none besides $start, $end, $grain';
  return [
    `${kpi.id}: ${kpi.title} (${kpi.unit}, ${kpi.direction === 'none' ? 'no good direction' : `${kpi.direction} is good`})`,
    `file: ${kpi.file}`,
    ...(kpi.description ? [kpi.description] : []),
    params,
    `by: ${kpi.breakdowns.length ? kpi.breakdowns.map((b) => b.name).join(', ') : 'no breakdowns'}`,
    '',
    `${kpi.sql};`,
    '',
  ].join('\n');
}

/** A statement ends at a `;` that is not inside a string or a comment. */
export function endsStatement(line: string): boolean {
  const code = line
    .replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, '')
    .replace(/--.*$/, '')
    .trim();
  return code.endsWith(';');
}

async function readHistory(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  // readline wants the newest first.
  return text.split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse();
}

async function remember(file: string | undefined, entry: string): Promise<void> {
  if (!file || entry === '') return;
  try {
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, `${entry}\n`);
  } catch {
    // History is a convenience: a read-only folder must not stop the prompt.
  }
}
