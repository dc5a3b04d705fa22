// What the validator finds, and how it is said. All user-facing wording of data problems
// lives here so the CLI, the reports and the tests agree.

export type Severity = 'error' | 'warning';

export type ProblemRule =
  | 'mapping'
  | 'empty_file'
  | 'no_tables'
  | 'not_a_file'
  | 'malformed_header'
  | 'wrong_type'
  | 'malformed_line'
  | 'missing_column'
  | 'unknown_column_case'
  | 'required_null'
  | 'unparsable'
  | 'unknown_value'
  | 'out_of_range'
  | 'duplicate_key'
  | 'won_without_amount'
  | 'foreign_key'
  | 'future_date'
  | 'negative_amount'
  | 'sub_cent_amount'
  | 'ends_before_start'
  | 'control_character'
  | 'mostly_blank'
  | 'group_disagreement'
  | 'group_partly_blank'
  | 'open_deal_closed_at'
  | 'lost_amount_zero'
  | 'closed_deal_without_date'
  | 'incomplete_group';

export interface ProblemExample {
  /** CSV line (header = line 1) or Parquet row (first row = 1). */
  readonly loc: number;
  readonly file: string;
  readonly value: string | null;
  /** What is wrong with this row in particular, e.g. `8 fields where the header has 7`. */
  readonly detail?: string;
}

/** Problems that reject single rows; the others concern a whole table or column. */
export const ROW_RULES: ReadonlySet<ProblemRule> = new Set<ProblemRule>([
  'malformed_line',
  'required_null',
  'unparsable',
  'unknown_value',
  'out_of_range',
  'duplicate_key',
  'won_without_amount',
  'incomplete_group',
]);

/** An error no row-level leniency can get past: the table itself does not fit. */
export function isStructural(problem: Problem): boolean {
  return problem.severity === 'error' && !ROW_RULES.has(problem.rule);
}

export interface Problem {
  readonly severity: Severity;
  readonly rule: ProblemRule;
  readonly table: string;
  readonly file: string;
  readonly column?: string;
  /** What was expected, e.g. `one of open, won, lost`. */
  readonly expected: string;
  /** How many rows have this problem (exact, even when only some are listed). */
  readonly count: number;
  /**
   * What `count` counts when it is not rows as the export has them (singular, plural): the
   * groups of a grouped table, `['order', 'orders']` for order lines grouped by order.
   */
  readonly counted?: readonly [string, string];
  /** The rows, in file order; all of them up to a limit, then the first ones. */
  readonly examples: readonly ProblemExample[];
  /** How to fix it. */
  readonly hint?: string;
}

const DESCRIPTIONS: Record<ProblemRule, string> = {
  mapping: 'the mapping does not fit the export',
  empty_file: 'file is empty',
  no_tables: 'no table is read',
  not_a_file: 'a folder has the name of a table file',
  malformed_header: 'header line cannot be read',
  wrong_type: 'column has the wrong type',
  malformed_line: 'line cannot be read',
  missing_column: 'required column is missing',
  unknown_column_case: 'column name differs from the contract only in case or spaces',
  required_null: 'required value is empty or blank',
  unparsable: 'value cannot be read as its type',
  unknown_value: 'value is not allowed',
  out_of_range: 'value is out of range',
  duplicate_key: 'primary key is not unique',
  won_without_amount: 'won deal has no amount',
  foreign_key: 'reference points nowhere',
  future_date: 'date is in the future',
  negative_amount: 'amount is negative',
  sub_cent_amount: 'amount has more than 2 decimal places',
  ends_before_start: 'ends before it starts',
  control_character: 'text holds a control character',
  mostly_blank: 'a column a KPI needs is blank on most of the rows it reads',
  group_disagreement: 'lines grouped into one row disagree on a value',
  group_partly_blank: 'an aggregate passes over blank lines of a group, understating it',
  open_deal_closed_at: 'open deal has a closed_at',
  lost_amount_zero: 'the export zeroes the amount of lost deals',
  closed_deal_without_date: 'won or lost deal has no closed_at',
  incomplete_group: 'a line of its group cannot be read',
};

export function describeRule(rule: ProblemRule): string {
  return DESCRIPTIONS[rule];
}

// What a row rule rejects, counted: "1,695 won deals without an amount" names the cause of a
// report's rejected rows in the reader's words (singular, plural).
const REJECT_CAUSES: Readonly<Record<string, readonly [string, string]>> = {
  malformed_line: ['line that cannot be read', 'lines that cannot be read'],
  required_null: ['row with a required value empty', 'rows with a required value empty'],
  unparsable: ['value that cannot be read as its type', 'values that cannot be read as their type'],
  unknown_value: ['value that is not allowed', 'values that are not allowed'],
  out_of_range: ['value out of range', 'values out of range'],
  duplicate_key: ['duplicate key', 'duplicate keys'],
  won_without_amount: ['won deal without an amount', 'won deals without an amount'],
  incomplete_group: ['group with a line that cannot be read', 'groups with a line that cannot be read'],
};

/** "won deals without an amount" for 2 rows of won_without_amount; undefined for other rules. */
export function describeRejectCause(rule: ProblemRule, count: number): string | undefined {
  return REJECT_CAUSES[rule]?.[count === 1 ? 0 : 1];
}

// Problems of a whole column: one to fix, however many rows the column has. Counted as rows,
// a missing required column read "7,043 errors" with no row rejected.
const COLUMN_RULES: ReadonlySet<ProblemRule> = new Set<ProblemRule>([
  'missing_column',
  'unknown_column_case',
  'wrong_type',
  'mostly_blank',
  'lost_amount_zero',
]);

/**
 * What a problem adds to a summary count: its rows, and 1 for a problem of a whole column,
 * table, file or mapping key (count 0: no row is wrong by itself), which is one to fix.
 */
export function countOf(problem: Pick<Problem, 'count' | 'rule'>): number {
  return COLUMN_RULES.has(problem.rule) ? 1 : Math.max(1, problem.count);
}

/** `3 errors, 1 warning`: what `pulse check` ends with, every printed problem counted. */
export function formatProblemCounts(problems: readonly Problem[]): string {
  const total = (severity: Severity) =>
    problems.filter((p) => p.severity === severity).reduce((n, p) => n + countOf(p), 0);
  const noun = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
  return `${noun(total('error'), 'error')}, ${noun(total('warning'), 'warning')}`;
}

/** `['order', 'orders']`: what one row of a contract table is, and several (the table's name). */
export function rowNouns(table: string): readonly [string, string] {
  return [
    table
      .replace(/ies$/, 'y')
      .replace(/(ch|sh|x)es$/, '$1')
      .replace(/s$/, ''),
    table,
  ];
}

/** `1 order`, `12 orders`: a problem's count in what it counts, rows unless said otherwise. */
export function formatCount(problem: Pick<Problem, 'count' | 'counted'>): string {
  const [one, many] = problem.counted ?? ['row', 'rows'];
  return `${problem.count} ${problem.count === 1 ? one : many}`;
}

/** `line 17` for text files (CSV, whitespace-separated), `row 17` for Parquet. */
export function formatLocation(file: string, loc: number): string {
  return `${file} ${file.toLowerCase().endsWith('.parquet') ? 'row' : 'line'} ${loc}`;
}

/** One line per offending row (errors) or a count with examples (warnings). */
export function formatProblem(problem: Problem, maxExamples: number): string[] {
  const column = problem.column ? `, column ${problem.column}` : '';
  const head = `${problem.severity} ${problem.table}${column}: ${describeRule(problem.rule)}`;
  const lines: string[] = [];
  if (problem.examples.length === 0) {
    lines.push(`${head} in ${problem.file} (expected ${problem.expected})`);
  } else if (problem.severity === 'error' && !ROW_RULES.has(problem.rule)) {
    // A whole column or file: one line, with a few of its values.
    const where = problem.examples
      .slice(0, Math.min(maxExamples, 3))
      .map((e) => `line ${e.loc} ${formatValue(e.value)}`)
      .join(', ');
    lines.push(`${head} in ${problem.file} (expected ${problem.expected}); e.g. ${where}`);
  } else if (problem.severity === 'error') {
    for (const example of problem.examples.slice(0, maxExamples)) {
      const detail = example.detail ? ` (${example.detail})` : '';
      lines.push(
        `${problem.severity} ${formatLocation(example.file, example.loc)}${column}: ${formatValue(example.value)}${detail}, expected ${problem.expected}`,
      );
    }
    const rest = problem.count - Math.min(maxExamples, problem.examples.length);
    if (rest > 0)
      lines.push(`  ... and ${rest} more ${problem.table} rows where ${describeRule(problem.rule)}`);
  } else {
    const where = problem.examples
      .slice(0, maxExamples)
      .map((e) => `${e.loc}${e.value === null ? '' : ` (${formatValue(e.value)})`}`)
      .join(', ');
    lines.push(
      `${head}: ${formatCount(problem)} (expected ${problem.expected}); e.g. ${problem.file} ${where}`,
    );
  }
  if (problem.hint) lines.push(`  fix: ${problem.hint}`);
  return lines;
}

function formatValue(value: string | null): string {
  if (value === null) return 'empty value';
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return JSON.stringify(shown);
}
