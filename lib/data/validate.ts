import { basename } from 'node:path';
import { oneOf, PulseError } from '../errors.ts';
import type { OnProgress } from '../progress.ts';
import { expectedFormat, inMapping, renameKey } from './column-hints.ts';
import { type ColumnSpec, SQL_TYPES, SURVEY_SCORE_RANGES, type TableSpec, tableSpec } from './contract.ts';
import type { Database } from './database.ts';
import { formatHint, valuesHint } from './fix-hints.ts';
import { type Problem, type ProblemRule, ROW_RULES, type Severity } from './problems.ts';
import { type ReferenceGate, ReferenceGates } from './reference-gates.ts';
import { REJECTED_TABLE } from './rejects.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';
import { type StagedTable, typedExpression } from './staged-tables.ts';
import {
  canHold,
  controlCharacterProblems,
  missingColumnProblems,
  unreadableProblems,
} from './structure-checks.ts';

/** Tables an export often gives one row per line of: what a row of them is called. */
const LINE_ITEMS: Readonly<Record<string, string>> = { orders: 'order', opportunities: 'deal' };

export interface ValidationOptions {
  /** The clock: anything after it is "in the future". ISO instant. */
  readonly now: string;
  /** How many offending rows an error keeps (the count is always exact). */
  readonly maxErrorExamples?: number;
  /** Told as each table's checks start. */
  readonly onProgress?: OnProgress;
}

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

/**
 * Checks every staged table against the contract; returns every problem, errors first. Each
 * row with an error is written to the rejected-rows table, so the typed tables can leave it out.
 */
export interface Validation {
  /** Every problem, errors first. */
  readonly problems: Problem[];
  /**
   * The latest value of each event column of each table (the validated rows, rejected ones
   * included), as text: a DATE or an instant with its offset. Read in the same pass as the
   * checks, so the data's freshness seldom needs a scan of its own.
   */
  readonly eventMaxima: ReadonlyMap<string, ReadonlyMap<string, string | null>>;
  /** The earliest value of each event column, read in the same pass (where a KPI's history starts). */
  readonly eventMinima: ReadonlyMap<string, ReadonlyMap<string, string | null>>;
}

export async function validateTables(
  db: Database,
  tables: ReadonlyMap<string, StagedTable>,
  options: ValidationOptions,
): Promise<Validation> {
  const problems: Problem[] = [];
  const eventMaxima = new Map<string, ReadonlyMap<string, string | null>>();
  const eventMinima = new Map<string, ReadonlyMap<string, string | null>>();
  // Every table's checks are laid out first, so that the reference gates of one parent, from
  // several tables, run as one query when the first of them is counted.
  const gates = new ReferenceGates(db);
  const checkers: TableChecker[] = [];
  for (const staged of tables.values()) {
    const checker = new TableChecker(db, staged, tables, options, gates);
    await checker.prepare();
    checkers.push(checker);
  }
  for (const [i, checker] of checkers.entries()) {
    const name = checker.table;
    options.onProgress?.({ stage: 'check', table: name, n: i + 1, of: tables.size });
    problems.push(...(await checker.finish()));
    eventMaxima.set(name, checker.eventMaxima);
    eventMinima.set(name, checker.eventMinima);
  }
  problems.sort((a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'));
  return { problems, eventMaxima, eventMinima };
}

/** Lost deals an export must have before their amounts' habit is judged ... */
const MIN_LOST_DEALS = 10;
/** ... and the share of them at 0 (with under the rest of won deals at 0) that says it zeroes them. */
const ZEROED_SHARE = 0.9;

/**
 * Text that is empty or only spaces (those DuckDB's trim() removes, Unicode ones included).
 * ltrim stops at the first other character and gives the same answer as trim() = '', at about
 * half the cost on ids (test/data/blank-text.test.ts compares them).
 */
export function spacesOnly(text: string): string {
  return `ltrim(${text}) = ''`;
}

class TableChecker {
  private readonly problems: Problem[] = [];
  private readonly pending: PendingCheck[] = [];
  /** Event columns that bind as their type, each with its latest value once checked. */
  readonly eventMaxima = new Map<string, string | null>();
  readonly eventMinima = new Map<string, string | null>();
  private readonly spec: TableSpec;
  private readonly file: string;

  constructor(
    private readonly db: Database,
    private readonly staged: StagedTable,
    private readonly tables: ReadonlyMap<string, StagedTable>,
    private readonly options: ValidationOptions,
    private readonly gates: ReferenceGates,
  ) {
    this.spec = staged.spec;
    this.file = staged.raw.source.path;
  }

  get table(): string {
    return this.spec.name;
  }

  /** Lays out every check (binding tests aside, nothing is scanned). */
  async prepare(): Promise<void> {
    this.problems.push(
      ...unreadableProblems(this.staged, this.options.maxErrorExamples ?? 1000),
      ...controlCharacterProblems(this.staged),
      ...this.staged.problems,
      ...missingColumnProblems(this.staged),
    );
    const present = this.spec.columns.filter((c) => this.staged.columns.has(c.name));
    // One query binds every column in the common case; one each only to find the one that fails.
    const allBind = await this.allBindAsType(present);
    for (const column of present) {
      if (allBind || (await this.bindsAsType(column))) await this.checkColumn(column);
    }
    this.checkPrimaryKey();
    this.checkOrderedPairs();
    this.checkTableRules();
  }

  /** Runs the checks laid out: one pass over the table, then what found something. */
  async finish(): Promise<Problem[]> {
    await this.runPending();
    return this.problems;
  }

  private async allBindAsType(columns: readonly ColumnSpec[]): Promise<boolean> {
    const found = (c: ColumnSpec) => this.staged.columns.get(c.name)?.type ?? 'VARCHAR';
    if (columns.length === 0 || !columns.every((c) => canHold(c.type, found(c)))) return false;
    try {
      const typed = columns.map((c) => this.typed(c.name)).join(', ');
      await this.db.run(`SELECT ${typed} FROM ${quoteIdent(this.staged.relation)} LIMIT 0`);
      return true;
    } catch {
      return false;
    }
  }

  // A column whose type cannot become the contract's (a Parquet BOOLEAN for a date) fails whole.
  private async bindsAsType(column: ColumnSpec): Promise<boolean> {
    const typed = this.typed(column.name);
    const found = this.staged.columns.get(column.name)?.type ?? 'VARCHAR';
    try {
      if (!canHold(column.type, found)) throw new Error(found);
      await this.db.run(`SELECT ${typed} FROM ${quoteIdent(this.staged.relation)} LIMIT 0`);
      return true;
    } catch {
      this.problems.push({
        severity: 'error',
        rule: 'wrong_type',
        table: this.spec.name,
        file: this.file,
        column: column.name,
        expected: `${expectedFormat(column.type)} (found a column of type ${found})`,
        count: this.staged.raw.rowCount,
        examples: [],
        hint: `export ${column.name} as ${column.type === 'money' ? 'a decimal' : column.type === 'ts' ? 'a timestamp' : column.type}, or compute it in the mapping with "derive"`,
      });
      return false;
    }
  }

  private async checkColumn(column: ColumnSpec): Promise<void> {
    const col = quoteIdent(column.name);
    const text = `${col}::VARCHAR`;
    const typed = this.typed(column.name);
    // Only text can be blank or unreadable; a typed (Parquet) value is a value or NULL.
    const isText = this.staged.columns.get(column.name)?.type === 'VARCHAR';
    const blank = isText ? `(${col} IS NULL OR ${spacesOnly(col)})` : `${col} IS NULL`;
    if (column.required) {
      this.find(
        'error',
        'required_null',
        column.name,
        blank,
        'a value (the column is required)',
        (_, count) => Promise.resolve(this.requiredHint(column, count)),
      );
    }
    // Text read as text cannot be unreadable: the check would cost a pass and never find a row.
    const textAsText =
      isText && SQL_TYPES[column.type] === 'VARCHAR' && !this.staged.columns.get(column.name)?.formats;
    if ((isText || typed !== col) && !textAsText) {
      this.find(
        'error',
        'unparsable',
        column.name,
        `NOT ${blank} AND (${typed}) IS NULL`,
        expectedReading(column, this.staged.columns.get(column.name)?.formats),
        (rule) => formatHint(this.db, this.staged, column, rule === 'wrong_type'),
        undefined,
        undefined,
        isText ? `count(*) FILTER (NOT ${blank})` : undefined,
      );
    }
    if (column.values) {
      const allowed = column.values.map(quoteLiteral).join(', ');
      this.find(
        'error',
        'unknown_value',
        column.name,
        `NOT ${blank} AND ${text} NOT IN (${allowed})`,
        oneOf(column.values),
        () => valuesHint(this.db, this.staged, column),
      );
    }
    if (column.type === 'money') {
      this.find('warning', 'negative_amount', column.name, `(${typed}) < 0`, 'an amount of 0 or more');
      const finer = finerThanCents(col, typed, this.staged.columns.get(column.name)?.type ?? '');
      if (finer) {
        this.find(
          'warning',
          'sub_cent_amount',
          column.name,
          finer,
          'an amount in whole cents: money is kept to 2 decimal places, so these are rounded before any sum',
          this.spec.name === 'orders'
            ? `each is rounded half away from zero; order lines are better summed per order first, in the mapping's "group": sum(${quoteIdent(column.name)}::DECIMAL(38,6)) (mappings/README.md)`
            : 'each is rounded half away from zero; if the export should hold cents, round it there',
        );
      }
    }
    if (column.event) {
      this.eventMaxima.set(column.name, null);
      const future =
        column.type === 'date' ? `(${typed}) > $now::TIMESTAMPTZ::DATE` : `(${typed}) > $now::TIMESTAMPTZ`;
      this.find('warning', 'future_date', column.name, future, `a date no later than ${this.options.now}`);
    }
    const target = column.references ? this.tables.get(column.references) : undefined;
    const targetKey = column.references ? tableSpec(column.references)?.primaryKey[0] : undefined;
    if (target && targetKey && target.columns.has(targetKey)) {
      const known = `SELECT ${quoteIdent(targetKey)}::VARCHAR FROM ${quoteIdent(target.relation)} WHERE ${quoteIdent(targetKey)} IS NOT NULL`;
      this.find(
        'warning',
        'foreign_key',
        column.name,
        `NOT ${blank} AND ${text} NOT IN (${known})`,
        `a ${targetKey} that exists in ${target.raw.source.path}`,
      );
      // The gate looks up each row's 64-bit hash of the value among the keys' hashes: no
      // strings kept or compared, a third cheaper than looking up each distinct text on the
      // largest tables (bench/README.md, fifth round). Equal text hashes alike, so a missing
      // value shows unless its hash equals another key's (odds about keys ÷ 2^64, under 1e-13
      // for a million keys); the rows and their count are read by the exact check only when a
      // value is missing. It skips only NULL and '' (trimming every value would cost a third of
      // it): a value of spaces, blank and not a reference, only runs the exact check. Gates of
      // one parent run together, as one hash table of its keys (reference-gates.ts).
      const present = isText ? `${col} IS NOT NULL AND ${col} <> ''` : `${col} IS NOT NULL`;
      const keyHashes = `SELECT hash(${quoteIdent(targetKey)}::VARCHAR) AS h FROM ${quoteIdent(target.relation)} WHERE ${quoteIdent(targetKey)} IS NOT NULL`;
      const pending = this.pending.at(-1);
      if (pending) {
        const referenceGate: ReferenceGate = {
          keys: keyHashes,
          values: `SELECT hash(${text}) AS h FROM ${quoteIdent(this.staged.relation)} WHERE ${present}`,
        };
        this.gates.register(referenceGate);
        this.pending[this.pending.length - 1] = { ...pending, referenceGate };
      }
    }
  }

  // Some rows without a required value: often rows the KPIs should not see at all (Maven's
  // deals still prospecting have no engage date); the mapping's `where` leaves them out on
  // purpose. Blank on every row, the column is the wrong one.
  private requiredHint(column: ColumnSpec, count: number): string | undefined {
    const source = this.staged.columns.get(column.name)?.sourceColumn;
    if (!source) return undefined;
    // Grouped, the value is an aggregate of lines: a `where` would drop lines, not groups.
    if (this.staged.grouped)
      return `the mapping's "group" gave no ${column.name} for these rows: fill the lines its aggregate reads in the export (leaving lines out with "where" would only drop them)`;
    const file = basename(this.file);
    if (count >= this.staged.raw.rowCount)
      return `${source} is blank on every row: if another column holds ${column.name}, ${inMapping(this.spec.name, renameKey('<that column>', column.name), this.staged.mappingFile, file)}`;
    const present = `trim(${quoteIdent(source)}::VARCHAR) <> ''`;
    return `fill ${source} in the export, or, if rows without it are not for the KPIs (not started yet, test rows), leave them out on purpose: ${inMapping(this.spec.name, `"where": ${JSON.stringify(present)}`, this.staged.mappingFile, file)}`;
  }

  private checkPrimaryKey(): void {
    const key = this.spec.primaryKey;
    if (key.length === 0 || !key.every((k) => this.staged.columns.has(k))) return;
    const cols = key.map(quoteIdent).join(', ');
    const value = key.length === 1 ? `${quoteIdent(key[0] ?? '')}::VARCHAR` : `concat_ws(' / ', ${cols})`;
    const unit = this.staged.raw.source.format === 'csv' ? 'line' : 'row';
    const present = key.map(
      (k) => `${quoteIdent(k)} IS NOT NULL AND NOT ${spacesOnly(`${quoteIdent(k)}::VARCHAR`)}`,
    );
    const keyText = key.map((k) => `${quoteIdent(k)}::VARCHAR`);
    // Counting repeats in the shared pass is cheap; the window that finds them is not, so it
    // runs only when there may be some. Distinct hashes of every row's key are counted
    // (fixed-width, about a third faster than the text; unfiltered, a quarter faster again):
    // equal keys hash alike, so a repeat always shows. A hash collision, or two blank keys
    // (already errors of their own), only runs the window, which finds the exact repeats.
    const distinct = keyText.length === 1 ? keyText[0] : `[${keyText.join(', ')}]`;
    const repeats = `count(*) - count(DISTINCT hash(${distinct}))`;
    // The first row of a key is kept; each later one is a duplicate and says where the first is.
    this.find(
      'error',
      'duplicate_key',
      key.join(', '),
      '__n > 1',
      `a unique ${key.join(' + ')} (each repeat is listed with the line of the first)`,
      this.staged.grouped ? undefined : this.repeatHint(),
      `concat(${value}, ' (first at ${unit} ', __first, ')')`,
      `(SELECT *, row_number() OVER w AS __n, first_value(__loc) OVER w AS __first
        FROM ${quoteIdent(this.staged.relation)}
        WHERE ${present.join(' AND ')}
        WINDOW w AS (PARTITION BY ${keyText.join(', ')} ORDER BY __file, __rec))`,
      undefined,
      repeats,
    );
  }

  // An export of one row per order line (or per product of a deal) repeats the id on every
  // line: the mapping's `group` makes one contract row of them.
  private repeatHint(): string | undefined {
    const item = LINE_ITEMS[this.spec.name];
    const [key] = this.spec.primaryKey;
    if (!item || !key) return undefined;
    const source = this.staged.columns.get(key)?.sourceColumn ?? key;
    return `if the export has a row per line of each ${item}, make one row of them with the mapping's "group": {"by": ${JSON.stringify(source)}, "aggregate": {...}} (mappings/README.md, "Order lines")`;
  }

  private checkOrderedPairs(): void {
    for (const [first, second] of ORDERED_PAIRS[this.spec.name] ?? []) {
      const a = this.typedIfPresent(first);
      const b = this.typedIfPresent(second);
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

  private checkTableRules(): void {
    const has = (name: string) => this.staged.columns.has(name);
    // Without an amount column the revenue KPIs are "not available"; with one, a won deal needs it.
    if (this.spec.name === 'opportunities' && has('status') && has('amount')) {
      const amountMissing = `("amount" IS NULL OR ${spacesOnly(`"amount"::VARCHAR`)})`;
      // The value shown is the amount's (empty), as for any other column; the line names the deal.
      this.find(
        'error',
        'won_without_amount',
        'amount',
        `"status" = 'won' AND ${amountMissing}`,
        'an amount on every won deal',
      );
    }
    if (this.spec.name === 'opportunities' && has('status') && has('amount')) this.checkLostAmountsZeroed();
    // The KPIs read closed_at as the day a deal closed: an open deal with one (an expected close
    // date, in many CRMs) leaves the open pipeline that day, and a closed deal without one is in
    // no close rate, won revenue or sales cycle.
    if (this.spec.name === 'opportunities' && has('status') && has('closed_at')) {
      const closedAt = this.typed('closed_at');
      this.find(
        'warning',
        'open_deal_closed_at',
        'closed_at',
        `"status" = 'open' AND (${closedAt}) IS NOT NULL`,
        'no closed_at on an open deal: the KPIs read it as the day the deal closed, so the deal leaves the open pipeline then',
        `if the export gives open deals an expected close date, blank it for them in the mapping: "derive": ${JSON.stringify({ closed_at: 'CASE WHEN <the status test for open> THEN NULL ELSE "<close date column>" END' })} (mappings/README.md)`,
        'concat("status"::VARCHAR, \' \', "closed_at"::VARCHAR)',
      );
      this.find(
        'warning',
        'closed_deal_without_date',
        'closed_at',
        `"status" IN ('won', 'lost') AND ("closed_at" IS NULL OR ${spacesOnly(`"closed_at"::VARCHAR`)})`,
        'a closed_at on every won or lost deal: without one a deal is in no close rate, won revenue or sales cycle',
        'fill closed_at in the export (the close date, or the date of the last stage change)',
        '"status"::VARCHAR',
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

  // Some CRMs zero what a lost deal was worth (Maven's close_value): an amount of 0 on nearly
  // every lost deal and on few won ones is the export's habit, not the deals'. Pipeline created,
  // and the open pipeline of a month when those deals were open, would count them as $0.
  private checkLostAmountsZeroed(): void {
    const amount = this.typed('amount');
    const lost = `"status" = 'lost'`;
    const zeroLost = `${lost} AND (${amount}) = 0`;
    const zeroWon = `"status" = 'won' AND (${amount}) = 0`;
    const count = (where: string) => `count(*) FILTER (${where})`;
    const source = this.staged.columns.get('amount')?.sourceColumn ?? 'amount';
    this.find(
      'warning',
      'lost_amount_zero',
      'amount',
      zeroLost,
      "a lost deal's amount as it stood, or blank: 0 on nearly every lost deal and not on the won ones is an export's habit, and Pipeline created and past months' Open pipeline would count those deals as $0",
      `if the export zeroes a lost deal's amount, blank it in the mapping, so those KPIs say how much of their amount is known: "derive": ${JSON.stringify({ amount: `CASE WHEN <the status test for lost> THEN NULL ELSE ${quoteIdent(source)} END` })} (mappings/README.md)`,
      `concat("status", ' ', (${amount})::VARCHAR)`,
      undefined,
      undefined,
      `CASE WHEN ${count(lost)} >= ${MIN_LOST_DEALS}
         AND ${count(zeroLost)} >= ${ZEROED_SHARE} * ${count(lost)}
         AND ${count(zeroWon)} < ${1 - ZEROED_SHARE} * ${count(`"status" = 'won'`)}
       THEN ${count(zeroLost)} ELSE 0 END`,
    );
  }

  /**
   * A mapping's `derive` SQL that fails on a row (`CAST(Cust AS INTEGER)` on "zz") stops the
   * pass: said as the mapping's, with its keys and how to fix it, not as DuckDB's query.
   */
  private derivedFailure(error: unknown): PulseError | undefined {
    const keys = [...this.staged.columns.values()].flatMap((c) => (c.derivedBy ? [c.derivedBy] : []));
    const message = (error as Error).message.split('\n')[0] ?? '';
    if (keys.length === 0 || !/^(Conversion|Invalid Input|Out of Range) Error/.test(message))
      return undefined;
    return new PulseError(
      'data_invalid',
      `${this.file}: the mapping's SQL for ${keys.join(', ')} (${this.staged.mappingFile ?? 'the mapping'}) fails on a row: ${message}. Fix the row in the export, or make the SQL give a blank for such a value, e.g. TRY_CAST(...) for CAST(...) (a required column's blank rows are then listed as errors).`,
      { cause: error },
    );
  }

  private typed(column: string): string {
    return typedExpression(this.staged, column) ?? 'NULL';
  }

  private typedIfPresent(column: string): string | undefined {
    return this.staged.columns.has(column) ? typedExpression(this.staged, column) : undefined;
  }

  private find(
    severity: Severity,
    rule: ProblemRule,
    column: string,
    where: string,
    expected: string,
    hint?: string | ((rule: ProblemRule, count: number) => Promise<string | undefined>),
    valueExpr = `${quoteIdent(column)}::VARCHAR`,
    from?: string,
    present?: string,
    gate?: string,
  ): void {
    this.pending.push({ severity, rule, column, where, expected, hint, valueExpr, from, present, gate });
  }

  // Clean data is the common case: count every check in one pass over the table, and read
  // example rows only for the checks that found something.
  private async runPending(): Promise<void> {
    const shared = this.pending.filter(
      (c) => (c.from === undefined || c.gate !== undefined) && c.referenceGate === undefined,
    );
    const counts = new Map<PendingCheck, { found: number; present: number | undefined }>();
    const maxima = [...this.eventMaxima.keys()];
    if (shared.length > 0 || maxima.length > 0) {
      const columns = [
        ...shared.flatMap((c, i) => [
          `${c.gate ?? `count(*) FILTER (${c.where})`} AS c${i}`,
          ...(c.present ? [`${c.present} AS p${i}`] : []),
        ]),
        ...maxima.flatMap((name, i) => [
          `max(${this.typed(name)})::VARCHAR AS m${i}`,
          `min(${this.typed(name)})::VARCHAR AS n${i}`,
        ]),
      ];
      const [row] = await this.db
        .rows(`SELECT ${columns.join(', ')} FROM ${quoteIdent(this.staged.relation)}`, {
          now: this.options.now,
        })
        .catch((error: unknown) => {
          throw this.derivedFailure(error) ?? error;
        });
      for (const [i, c] of shared.entries()) {
        const present = row?.[`p${i}`];
        counts.set(c, {
          found: Number(row?.[`c${i}`] ?? 0),
          present: present == null ? undefined : Number(present),
        });
      }
      for (const [i, name] of maxima.entries()) {
        const latest = row?.[`m${i}`];
        this.eventMaxima.set(name, latest == null ? null : String(latest));
        const earliest = row?.[`n${i}`];
        this.eventMinima.set(name, earliest == null ? null : String(earliest));
      }
    }
    for (const check of this.pending) {
      if (check.referenceGate === undefined) continue;
      counts.set(check, { found: await this.gates.missing(check.referenceGate), present: undefined });
    }
    for (const check of this.pending) {
      const count = counts.get(check);
      if (count?.found === 0) continue;
      // Every value of the column unreadable: the column is wrong, not its rows.
      if (check.rule === 'unparsable' && count && count.found >= 2 && count.found === count.present) {
        await this.collect({ ...check, rule: 'wrong_type' });
      } else await this.collect(check);
    }
  }

  private async collect(check: PendingCheck): Promise<void> {
    const wholeColumn = check.rule === 'wrong_type';
    const limit = wholeColumn ? 5 : check.severity === 'error' ? (this.options.maxErrorExamples ?? 1000) : 5;
    const from = check.from ?? quoteIdent(this.staged.relation);
    const rows = await this.db.rows(
      `SELECT count(*) OVER () AS n, __file, __loc, (${check.valueExpr})::VARCHAR AS v
       FROM ${from} WHERE ${check.where}
       ORDER BY __file, __loc LIMIT ${limit}`,
      { now: this.options.now },
    );
    if (rows.length === 0) return;
    if (check.severity === 'error' && ROW_RULES.has(check.rule)) {
      await this.db.run(
        `INSERT INTO ${REJECTED_TABLE}
         SELECT ${quoteLiteral(this.spec.name)}, __file, __rec, __loc, ${quoteLiteral(check.rule)},
                ${quoteLiteral(check.rule)}, ${quoteLiteral(check.column)}, (${check.valueExpr})::VARCHAR, NULL
         FROM ${from} WHERE ${check.where}`,
        { now: this.options.now },
      );
    }
    const count = Number(rows[0]?.n ?? rows.length);
    const hint = typeof check.hint === 'function' ? await check.hint(check.rule, count) : check.hint;
    this.problems.push({
      severity: check.severity,
      rule: check.rule,
      table: this.spec.name,
      file: this.file,
      column: check.column,
      expected: wholeColumn ? `${check.expected}; none of its ${count} values is` : check.expected,
      count: wholeColumn ? this.staged.raw.rowCount : count,
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
  readonly hint: string | ((rule: ProblemRule, count: number) => Promise<string | undefined>) | undefined;
  /** What to show of an offending row. */
  readonly valueExpr: string;
  /** A relation other than the staged table (duplicate keys need a window first). */
  readonly from: string | undefined;
  /** SQL aggregate counting the rows the check applies to (for whole-column failures). */
  readonly present: string | undefined;
  /** For a check on another relation: an aggregate over the table, in the shared pass, that is 0 when the check cannot find anything. */
  readonly gate: string | undefined;
  /** A reference's gate, counted with the other columns referring to its parent: 0 when the check cannot find anything. */
  readonly referenceGate?: ReferenceGate;
}

/**
 * SQL true for a money value that the contract's DECIMAL(18,2) rounds (19.995 → 20.00), or
 * undefined when the source type holds no more than cents (or, a FLOAT, cannot say). Text is
 * compared exactly as a wider decimal; a DOUBLE to 6 places, so 0.1 + 0.2 is not taken for a
 * fraction of a cent.
 */
export function finerThanCents(col: string, typed: string, sourceType: string): string | undefined {
  if (sourceType === 'VARCHAR') return `TRY_CAST(${col} AS DECIMAL(38,10)) <> (${typed})`;
  // A FLOAT keeps about 7 digits: 10.1 is 10.1000004, so it cannot tell cents from less.
  if (sourceType === 'DOUBLE') return `round(${col}, 6) <> (${typed})::DOUBLE`;
  const scale = /^DECIMAL\(\d+,(\d+)\)$/.exec(sourceType)?.[1];
  return scale !== undefined && Number(scale) > 2 ? `${col} <> (${typed})` : undefined;
}

// A column the mapping gives date formats is read with those, not as ISO.
function expectedReading(column: ColumnSpec, formats: readonly string[] | undefined): string {
  if (!formats) return expectedFormat(column.type);
  return `a ${column.type === 'date' ? 'date' : 'time'} written as ${formats.map((f) => JSON.stringify(f)).join(' or ')} (the mapping's dates)`;
}
