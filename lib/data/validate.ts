import { oneOf } from '../errors.ts';
import {
  type ColumnSpec,
  type ColumnType,
  SURVEY_SCORE_RANGES,
  type TableSpec,
  tableSpec,
} from './contract.ts';
import type { Database } from './database.ts';
import type { Problem, ProblemRule, Severity } from './problems.ts';
import type { RawTable } from './raw-tables.ts';
import { castExpression, quoteIdent, quoteLiteral } from './sql-text.ts';

export interface ValidationOptions {
  /** The clock: anything after it is "in the future". ISO instant. */
  readonly now: string;
  /** How many offending rows an error keeps (the count is always exact). */
  readonly maxErrorExamples?: number;
}

const EXPECTED_FORMAT: Record<ColumnType, string> = {
  id: 'an identifier',
  text: 'text',
  ts: 'an ISO 8601 timestamp such as 2026-10-31T14:05:00 or 2026-10-31T14:05:00Z',
  date: 'an ISO date such as 2026-10-31',
  money: 'a plain decimal such as 1234.50 (no currency symbol or thousands separator)',
  int: 'a whole number',
  bool: 'true or false',
  double: 'a number such as 0.25',
};

// Pairs of columns where the second must not come before the first.
const ORDERED_PAIRS: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  customers: [['acquired_at', 'churned_at']],
  opportunities: [['created_at', 'closed_at']],
  opportunity_stages: [['entered_at', 'exited_at']],
  subscriptions: [['started_at', 'ends_at']],
  campaigns: [['started_at', 'ended_at']],
  tickets: [
    ['created_at', 'first_response_at'],
    ['created_at', 'resolved_at'],
  ],
};

/** Checks every loaded table against the contract; returns every problem, errors first. */
export async function validateTables(
  db: Database,
  tables: ReadonlyMap<string, RawTable>,
  options: ValidationOptions,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const raw of tables.values()) {
    const spec = tableSpec(raw.source.table);
    if (!spec) continue;
    const checker = new TableChecker(db, raw, spec, tables, options);
    problems.push(...(await checker.check()));
  }
  return problems.sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'));
}

class TableChecker {
  private readonly problems: Problem[] = [];
  private readonly pending: PendingCheck[] = [];

  constructor(
    private readonly db: Database,
    private readonly raw: RawTable,
    private readonly spec: TableSpec,
    private readonly tables: ReadonlyMap<string, RawTable>,
    private readonly options: ValidationOptions,
  ) {}

  async check(): Promise<Problem[]> {
    this.checkMalformedLines();
    const present = this.spec.columns.filter((c) => this.raw.columnTypes.has(c.name));
    this.checkMissingColumns();
    for (const column of present) await this.checkColumn(column);
    await this.checkPrimaryKey();
    await this.checkOrderedPairs();
    await this.checkTableRules();
    await this.runPending();
    return this.problems;
  }

  private checkMalformedLines(): void {
    for (const bad of this.raw.malformedLines) {
      this.problems.push({
        severity: 'error',
        rule: 'malformed_line',
        table: this.spec.name,
        file: this.raw.source.path,
        expected: `as many fields as the header (${bad.error})`,
        count: 1,
        examples: [{ loc: bad.line, file: this.raw.source.path, value: bad.text }],
        hint: 'quote fields that contain commas or line breaks with double quotes',
      });
    }
  }

  private checkMissingColumns(): void {
    const found = [...this.raw.columnTypes.keys()];
    const normalise = (name: string) =>
      name
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_');
    for (const column of this.spec.columns) {
      if (this.raw.columnTypes.has(column.name)) continue;
      const lookalike = found.find((name) => normalise(name) === column.name);
      if (!column.required && !lookalike) continue;
      this.problems.push({
        severity: column.required ? 'error' : 'warning',
        rule: lookalike ? 'unknown_column_case' : 'missing_column',
        table: this.spec.name,
        file: this.raw.source.path,
        column: column.name,
        expected: `a column named ${column.name} (found: ${found.join(', ') || 'no columns'})`,
        count: this.raw.rowCount,
        examples: [],
        hint: lookalike
          ? `rename the column "${lookalike}" to "${column.name}"`
          : `add the column ${column.name} to ${this.raw.source.path}, or map one of your columns to it`,
      });
    }
  }

  private async checkColumn(column: ColumnSpec): Promise<void> {
    const col = quoteIdent(column.name);
    const sourceType = this.raw.columnTypes.get(column.name) ?? 'VARCHAR';
    const typed = castExpression(column.name, column.type, sourceType, true);
    if (column.required) {
      this.find('error', 'required_null', column.name, `${col} IS NULL`, 'a value (the column is required)');
    }
    this.find(
      'error',
      'unparsable',
      column.name,
      `${col} IS NOT NULL AND (${typed}) IS NULL`,
      EXPECTED_FORMAT[column.type],
    );
    if (column.values) {
      const allowed = column.values.map(quoteLiteral).join(', ');
      const hint = () => this.caseHint(column);
      this.find(
        'error',
        'unknown_value',
        column.name,
        `${col} IS NOT NULL AND ${col}::VARCHAR NOT IN (${allowed})`,
        oneOf(column.values),
        hint,
      );
    }
    if (column.type === 'money') {
      this.find('warning', 'negative_amount', column.name, `(${typed}) < 0`, 'an amount of 0 or more');
    }
    if (column.event) {
      const future =
        column.type === 'date' ? `(${typed}) > $now::TIMESTAMPTZ::DATE` : `(${typed}) > $now::TIMESTAMPTZ`;
      this.find('warning', 'future_date', column.name, future, `a date no later than ${this.options.now}`);
    }
    const target = column.references ? this.tables.get(column.references) : undefined;
    const targetKey = column.references ? tableSpec(column.references)?.primaryKey[0] : undefined;
    if (target && targetKey && target.columnTypes.has(targetKey)) {
      this.find(
        'warning',
        'foreign_key',
        column.name,
        `${col} IS NOT NULL AND ${col}::VARCHAR NOT IN (SELECT ${quoteIdent(targetKey)}::VARCHAR FROM ${quoteIdent(target.relation)} WHERE ${quoteIdent(targetKey)} IS NOT NULL)`,
        `a ${targetKey} that exists in ${target.source.path}`,
      );
    }
  }

  private async caseHint(column: ColumnSpec): Promise<string | undefined> {
    const allowed = (column.values ?? []).map(quoteLiteral).join(', ');
    const col = quoteIdent(column.name);
    const [row] = await this.db.rows(
      `SELECT count(*) AS n FROM ${quoteIdent(this.raw.relation)}
       WHERE ${col}::VARCHAR NOT IN (${allowed}) AND lower(trim(${col}::VARCHAR)) IN (${allowed})`,
    );
    return Number(row?.n ?? 0) > 0
      ? `values are lower case without spaces, e.g. ${column.values?.[0]}`
      : undefined;
  }

  private async checkPrimaryKey(): Promise<void> {
    const key = this.spec.primaryKey;
    if (key.length === 0 || !key.every((k) => this.raw.columnTypes.has(k))) return;
    const cols = key.map(quoteIdent).join(', ');
    const value = key.length === 1 ? `${quoteIdent(key[0] ?? '')}::VARCHAR` : `concat_ws(' / ', ${cols})`;
    this.find(
      'error',
      'duplicate_key',
      key.join(', '),
      'true',
      `a unique ${key.join(' + ')} (each duplicate row is listed)`,
      undefined,
      value,
      `(SELECT * FROM ${quoteIdent(this.raw.relation)}
        WHERE ${key.map((k) => `${quoteIdent(k)} IS NOT NULL`).join(' AND ')}
        QUALIFY count(*) OVER (PARTITION BY ${cols}) > 1)`,
    );
  }

  private async checkOrderedPairs(): Promise<void> {
    for (const [first, second] of ORDERED_PAIRS[this.spec.name] ?? []) {
      const a = this.typed(first);
      const b = this.typed(second);
      if (!a || !b) continue;
      this.find(
        'warning',
        'ends_before_start',
        second,
        `(${b}) < (${a})`,
        `${second} on or after ${first}`,
        undefined,
        `concat(${quoteIdent(first)}::VARCHAR, ' → ', ${quoteIdent(second)}::VARCHAR)`,
      );
    }
  }

  private async checkTableRules(): Promise<void> {
    const has = (name: string) => this.raw.columnTypes.has(name);
    if (this.spec.name === 'opportunities' && has('status')) {
      const amountMissing = has('amount') ? `"amount" IS NULL` : 'true';
      this.find(
        'error',
        'won_without_amount',
        'amount',
        `"status" = 'won' AND ${amountMissing}`,
        'an amount on every won deal',
        undefined,
        `"opportunity_id"::VARCHAR`,
      );
    }
    if (this.spec.name === 'surveys' && has('kind') && has('score')) {
      const score = this.typed('score');
      const ranges = Object.entries(SURVEY_SCORE_RANGES)
        .map(([kind, [lo, hi]]) => `("kind" = '${kind}' AND (${score}) NOT BETWEEN ${lo} AND ${hi})`)
        .join(' OR ');
      this.find(
        'error',
        'out_of_range',
        'score',
        `(${score}) IS NOT NULL AND (${ranges})`,
        'nps 0-10, csat 1-5, ces 1-7',
        undefined,
        `concat("kind", ' ', "score")`,
      );
    }
  }

  private typed(column: string): string | undefined {
    const spec = this.spec.columns.find((c) => c.name === column);
    const sourceType = this.raw.columnTypes.get(column);
    return spec && sourceType ? castExpression(column, spec.type, sourceType, true) : undefined;
  }

  private find(
    severity: Severity,
    rule: ProblemRule,
    column: string,
    where: string,
    expected: string,
    hint?: string | (() => Promise<string | undefined>),
    valueExpr = `${quoteIdent(column)}::VARCHAR`,
    from?: string,
  ): void {
    this.pending.push({ severity, rule, column, where, expected, hint, valueExpr, from });
  }

  // Clean data is the common case: count every check in one pass over the table, and read
  // example rows only for the checks that found something.
  private async runPending(): Promise<void> {
    const shared = this.pending.filter((c) => c.from === undefined);
    const counts = new Map<PendingCheck, number>();
    if (shared.length > 0) {
      const [row] = await this.db.rows(
        `SELECT ${shared.map((c, i) => `count(*) FILTER (${c.where}) AS c${i}`).join(', ')}
         FROM ${quoteIdent(this.raw.relation)}`,
        { now: this.options.now },
      );
      for (const [i, c] of shared.entries()) counts.set(c, Number(row?.[`c${i}`] ?? 0));
    }
    for (const check of this.pending) {
      if (check.from === undefined && counts.get(check) === 0) continue;
      await this.collect(check);
    }
  }

  private async collect(check: PendingCheck): Promise<void> {
    const limit = check.severity === 'error' ? (this.options.maxErrorExamples ?? 1000) : 5;
    const rows = await this.db.rows(
      `SELECT count(*) OVER () AS n, __file, __loc, (${check.valueExpr})::VARCHAR AS v
       FROM ${check.from ?? quoteIdent(this.raw.relation)} WHERE ${check.where}
       ORDER BY __file, __loc LIMIT ${limit}`,
      { now: this.options.now },
    );
    if (rows.length === 0) return;
    const hint = typeof check.hint === 'function' ? await check.hint() : check.hint;
    this.problems.push({
      severity: check.severity,
      rule: check.rule,
      table: this.spec.name,
      file: this.raw.source.path,
      column: check.column,
      expected: check.expected,
      count: Number(rows[0]?.n ?? rows.length),
      examples: rows.map((r) => ({
        loc: Number(r.__loc),
        file: String(r.__file),
        value: r.v === null ? null : String(r.v),
      })),
      ...(hint ? { hint } : {}),
    });
  }
}

interface PendingCheck {
  readonly severity: Severity;
  readonly rule: ProblemRule;
  readonly column: string;
  /** SQL condition that holds for an offending row. */
  readonly where: string;
  readonly expected: string;
  readonly hint: string | (() => Promise<string | undefined>) | undefined;
  /** What to show of an offending row. */
  readonly valueExpr: string;
  /** A relation other than the raw table (duplicate keys need a window first). */
  readonly from: string | undefined;
}
