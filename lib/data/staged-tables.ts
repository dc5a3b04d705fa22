// Applies a table's mapping to the rows as read: one relation with the contract's column names
// (values still uncast, so the validator can show them), the export's other columns, and the
// rows the mapping's `where` keeps. Without a mapping, columns pass through by name.

import type { TableSpec } from './contract.ts';
import type { Database } from './database.ts';
import { closest } from './did-you-mean.ts';
import { registerGroupedRows } from './grouped-rows.ts';
import { keyPart, type TableMapping, type ValueMap } from './mapping.ts';
import { type Problem, rowNouns } from './problems.ts';
import type { RawTable } from './raw-tables.ts';
import { REJECTED_TABLE } from './rejects.ts';
import { checkSnippet } from './sql-snippet.ts';
import { castExpression, localDayStart, quoteIdent, quoteLiteral, utcInstant } from './sql-text.ts';

export interface StagedColumn {
  readonly name: string;
  /** DuckDB type of the staged (uncast) value. */
  readonly type: string;
  /** strptime formats from the mapping's `dates`. */
  readonly formats?: readonly string[];
  /** The export column it is read from, when it is one. */
  readonly sourceColumn?: string;
  /** The mapping key whose SQL computes it (`tables.tickets.derive.customer_id`), when one does. */
  readonly derivedBy?: string;
}

export interface StagedTable {
  readonly raw: RawTable;
  readonly spec: TableSpec;
  readonly relation: string;
  /** The contract columns the table has. */
  readonly columns: ReadonlyMap<string, StagedColumn>;
  /** Contract columns the mapping meant to give but could not (already reported). */
  readonly failed: ReadonlySet<string>;
  /** Contract column → the export columns the mapping renames to it, none of which is there. */
  readonly unresolved: ReadonlyMap<string, readonly string[]>;
  /** The columns the mapping reads: the export's, or with `group` the groups' (by and aggregates). */
  readonly sourceColumns: readonly string[];
  /** The export's other columns, passed through for custom queries. */
  readonly extras: readonly string[];
  /** Rows the mapping's `where` leaves out. */
  readonly leftOut: number;
  /** Rows the table has, readable or not, less those left out: rejected rows are a share of it. */
  readonly total: number;
  /** With the mapping's `group`: the grouped relation and how many groups (contract rows) it has. */
  readonly grouped?: { readonly relation: string; readonly rows: number };
  readonly problems: readonly Problem[];
  readonly mappingFile?: string;
}

export const stagedRelation = (table: string): string => `__staged_${table}`;

export async function registerStagedTable(
  db: Database,
  raw: RawTable,
  spec: TableSpec,
  mappingFile?: string,
): Promise<StagedTable> {
  const mapping = raw.source.mapping;
  const fileName = raw.source.path;
  const problems: Problem[] = [];
  const group = mapping?.group ? await registerGroupedRows(db, raw, mapping, fileName) : undefined;
  const grouped = group?.grouped;
  // Grouped, the mapping reads the groups: their `by` columns and aggregates.
  const input = grouped?.relation ?? raw.relation;
  const sourceColumns = grouped?.columns ?? [...raw.columnTypes.keys()];
  const inputName = grouped
    ? `${fileName} grouped by ${mapping?.group?.by.map((b) => JSON.stringify(b)).join(', ')}`
    : fileName;
  const failed = new Set<string>(group?.failed);
  const unresolved = new Map<string, readonly string[]>();
  const mappingProblem = (
    column: string,
    key: string,
    message: string,
    severity: 'error' | 'warning' = 'error',
  ) => {
    problems.push({
      severity,
      rule: 'mapping',
      table: spec.name,
      file: mappingFile ?? fileName,
      column,
      expected: `${key}: ${message}`,
      count: 0,
      examples: [],
    });
  };
  for (const p of group?.problems ?? []) mappingProblem(p.column, p.key, p.message);
  const incomplete = group?.incomplete ?? [];
  if (incomplete.length > 0) {
    const by = mapping?.group?.by.join(', ') ?? '';
    await db.run(
      `INSERT INTO ${REJECTED_TABLE} VALUES ${incomplete
        .map((l) =>
          [
            quoteLiteral(spec.name),
            quoteLiteral(l.file),
            l.rec,
            l.loc,
            "'incomplete_group'",
            "'incomplete_group'",
            quoteLiteral(by),
            quoteLiteral(l.key),
            quoteLiteral(l.unreadable),
          ].join(', '),
        )
        .map((row) => `(${row})`)
        .join(', ')}`,
    );
    problems.push({
      severity: 'error',
      rule: 'incomplete_group',
      table: spec.name,
      file: fileName,
      column: by,
      expected: `every line of the same ${by} readable: one cannot be read, so the ${by} is left out rather than totalled without it`,
      count: incomplete.length,
      examples: incomplete.map((l) => ({
        loc: l.loc,
        file: l.file,
        value: l.key,
        detail: `${l.unreadable} cannot be read`,
      })),
    });
  }
  for (const d of group?.disagreements ?? []) {
    const lines = mapping?.group?.by.map((b) => JSON.stringify(b)).join(', ') ?? '';
    problems.push({
      severity: 'warning',
      rule: 'group_disagreement',
      table: spec.name,
      file: fileName,
      column: d.column,
      expected: `one ${d.column} for all the lines of a ${lines}: ${d.aggregate} keeps one line's and drops the others`,
      count: d.groups,
      counted: rowNouns(spec.name),
      examples: d.examples,
      hint: `if the lines may differ, say which wins in ${mapping?.key}.group.aggregate (e.g. first(... ORDER BY "<a column>") or max(...)); if they should not, the export mixes up its ${lines}s`,
    });
  }
  for (const d of group?.partlyBlank ?? []) {
    const lines = mapping?.group?.by.map((b) => JSON.stringify(b)).join(', ') ?? '';
    problems.push({
      severity: 'warning',
      rule: 'group_partly_blank',
      table: spec.name,
      file: fileName,
      column: d.column,
      expected: `a value on every line of one ${lines}, or on none: ${d.aggregate} passes over the blank lines, so these ${spec.name} are understated`,
      count: d.groups,
      counted: rowNouns(spec.name),
      examples: d.examples,
      // count() of what the sum adds up: a line of spaces under TRY_CAST is NULL there, not in the column.
      hint: `fill the lines in the export, or make ${d.column} unknown for such groups: "CASE WHEN count(*) = count(${d.summed ?? '<the column>'}) THEN ${d.aggregate} END" in ${mapping?.key}.group.aggregate (mappings/README.md)`,
    });
  }
  const selected: {
    name: string;
    sql: string;
    sourceColumn?: string;
    derivedBy?: string;
    formats?: readonly string[];
  }[] = [];
  for (const column of spec.columns) {
    if (failed.has(column.name)) continue;
    const source = await columnSource(db, input, column.name, mapping, sourceColumns, inputName);
    if (source.problem) {
      mappingProblem(column.name, source.problem.key, source.problem.message);
      failed.add(column.name);
    }
    if (source.unresolved) {
      unresolved.set(column.name, source.unresolved);
      // A required column missing is an error of its own, with this in its hint.
      if (!column.required && source.sql === undefined) {
        const near = source.unresolved.map((name) => closest(name, sourceColumns)).find(Boolean);
        mappingProblem(
          column.name,
          `${mapping?.key}.rename${keyPart(source.unresolved[0] ?? '')}`,
          `${inputName} has no column ${source.unresolved.map((n) => `"${n}"`).join(' or ')}${near ? `; did you mean "${near}"?` : ''}, so ${column.name} is empty (columns: ${sourceColumns.join(', ')})`,
          'warning',
        );
      }
    }
    const fallback = mapping?.defaults.get(column.name);
    // A default with nothing to read from fills the whole column.
    const read = source.sql ?? (fallback !== undefined && !failed.has(column.name) ? 'NULL' : undefined);
    if (read === undefined) continue;
    let sql = read;
    const values = mapping?.values.get(column.name);
    if (values) sql = valueMapSql(sql, values);
    if (fallback !== undefined)
      sql = `coalesce(nullif(trim((${sql})::VARCHAR), ''), ${quoteLiteral(fallback)})`;
    const formats = mapping?.dates.get(column.name);
    selected.push({
      name: column.name,
      sql,
      ...(source.sourceColumn ? { sourceColumn: source.sourceColumn } : {}),
      ...(source.derivedBy ? { derivedBy: source.derivedBy } : {}),
      ...(formats ? { formats } : {}),
    });
  }
  let where = 'true';
  // A group's `where` chose the rows before grouping.
  if (mapping?.where && !grouped) {
    const wrong = await checkSnippet(db, mapping.where, raw.relation, sourceColumns, fileName, 'condition');
    if (wrong) mappingProblem('(where)', `${mapping.key}.where`, `${JSON.stringify(mapping.where)} ${wrong}`);
    else where = `coalesce((${mapping.where})::BOOLEAN, false)`;
  }
  const contractNames = new Set(spec.columns.map((c) => c.name.toLowerCase()));
  // The export's other columns pass through, a lookalike not read (` segment` beside `segment`)
  // too, and a column renamed to a contract one (`Deal Stage`, still there for pulse query); a
  // lookalike read as the contract's column does not; a name DuckDB would take for a contract
  // column's (`AMOUNT`) cannot stand beside it.
  const read = new Set(selected.map((c) => c.sourceColumn));
  const extras = sourceColumns.filter(
    (name) =>
      !contractNames.has(name.toLowerCase()) &&
      !(read.has(name) && contractNames.has(name.trim().toLowerCase())),
  );
  const relation = stagedRelation(spec.name);
  await db.run(
    `CREATE OR REPLACE VIEW ${quoteIdent(relation)} AS
     SELECT __file, __rec, __loc, ${[...selected.map((c) => `${c.sql} AS ${quoteIdent(c.name)}`), ...extras.map(quoteIdent)].join(', ')}
     FROM ${quoteIdent(input)} WHERE ${where}`,
  );
  const types = new Map(
    (await db.rows(`DESCRIBE ${quoteIdent(relation)}`)).map((r) => [
      String(r.column_name),
      String(r.column_type),
    ]),
  );
  const [kept] = grouped
    ? [{ n: raw.rowCount - grouped.leftOut }]
    : mapping?.where
      ? await db.rows(`SELECT count(*) AS n FROM ${quoteIdent(relation)}`)
      : [{ n: raw.rowCount }];
  const columns = new Map<string, StagedColumn>();
  for (const c of selected) {
    const type = types.get(c.name) ?? 'VARCHAR';
    columns.set(c.name, {
      name: c.name,
      type,
      ...(c.sourceColumn ? { sourceColumn: c.sourceColumn } : {}),
      ...(c.derivedBy ? { derivedBy: c.derivedBy } : {}),
      // Formats read text; a column already typed as a date needs none.
      ...(c.formats && type === 'VARCHAR' ? { formats: c.formats } : {}),
    });
  }
  const leftOut = raw.rowCount - Number(kept?.n ?? 0);
  return {
    raw,
    spec,
    relation,
    columns,
    failed,
    unresolved,
    sourceColumns,
    extras,
    leftOut,
    // Grouped, a rejected row is a group or an unreadable line.
    total: grouped ? grouped.rows + raw.malformed.length : raw.recordCount - leftOut,
    ...(grouped ? { grouped: { relation: grouped.relation, rows: grouped.rows } } : {}),
    problems,
    ...(mappingFile ? { mappingFile } : {}),
  };
}

function hasTimeOfDay(format: string): boolean {
  return /%[HIMSpTRcXfgnsr]/.test(format);
}

/** SQL that turns a staged column into its contract type, NULL where it cannot. */
export function typedExpression(staged: StagedTable, column: string): string | undefined {
  const spec = staged.spec.columns.find((c) => c.name === column);
  const source = staged.columns.get(column);
  if (!spec || !source) return undefined;
  if (!source.formats) return castExpression(column, spec.type, source.type, true);
  const formats = `[${source.formats.map(quoteLiteral).join(', ')}]`;
  const parsed = `try_strptime(trim(${quoteIdent(column)}), ${formats})`;
  // With %z the result is an instant; without, a wall-clock time, which the contract reads as UTC.
  if (source.formats.some((f) => /%[zZ]/.test(f))) {
    return spec.type === 'date' ? `timezone('UTC', ${parsed})::DATE` : parsed;
  }
  if (spec.type === 'date') return `(${parsed})::DATE`;
  // Formats with no time of day ("%m/%d/%Y") give calendar days: each starts in the report's zone.
  return source.formats.some(hasTimeOfDay) ? utcInstant(parsed) : localDayStart(parsed);
}

interface ColumnSourceResult {
  readonly sql?: string;
  readonly sourceColumn?: string;
  readonly derivedBy?: string;
  readonly problem?: { key: string; message: string };
  /** Export columns the mapping renames to this column, none of which the file has. */
  readonly unresolved?: readonly string[];
}

async function columnSource(
  db: Database,
  relation: string,
  column: string,
  mapping: TableMapping | undefined,
  sourceColumns: readonly string[],
  fileName: string,
): Promise<ColumnSourceResult> {
  const derived = mapping?.derive.get(column);
  if (derived !== undefined) {
    const key = `${mapping?.key}.derive${keyPart(column)}`;
    const wrong = await checkSnippet(db, derived, relation, sourceColumns, fileName);
    return wrong
      ? { problem: { key, message: `${JSON.stringify(derived)} ${wrong}` } }
      : { sql: `(${derived})`, derivedBy: key };
  }
  const constant = mapping?.constants.get(column);
  if (constant !== undefined) return { sql: quoteLiteral(constant) };
  const renames = mapping?.rename.filter((r) => r.target === column) ?? [];
  if (renames.length > 0) {
    const present = renames.map((r) => findColumn(sourceColumns, r.source)).find((c) => c !== undefined);
    if (present !== undefined) return { sql: quoteIdent(present), sourceColumn: present };
    const unresolved = renames.map((r) => r.source);
    const named = contractColumn(sourceColumns, column);
    if (named !== undefined) return { sql: quoteIdent(named), sourceColumn: named, unresolved };
    return { unresolved };
  }
  // `LOGGED_IN_AT` or ` Segment ` is the contract's column: without this it would be neither
  // read nor passed through (the extras leave out the contract's names in any case).
  const named = contractColumn(sourceColumns, column);
  if (named !== undefined) return { sql: quoteIdent(named), sourceColumn: named };
  return {};
}

/**
 * The export column that is the contract's `column`: of its name, else the one column of its name in
 * other letters or with spaces around. None when that is not one: `AMOUNT` before `amount` in a file
 * is read as `AMOUNT` and `amount_1` (DuckDB's names, and the CSV reader's, for a second column of
 * a name), and which of the two holds the amounts is the export's to say, with a rename.
 */
function contractColumn(columns: readonly string[], column: string): string | undefined {
  if (columns.includes(column)) return column;
  const wanted = column.toLowerCase();
  const alike = columns.filter((c) => c.trim().toLowerCase() === wanted);
  const renamed = columns.some((c) => /^(.*)_\d+$/.exec(c)?.[1]?.trim().toLowerCase() === wanted);
  return alike.length === 1 && !renamed ? alike[0] : undefined;
}

/** Export headers are matched exactly, then ignoring case and surrounding spaces. */
function findColumn(columns: readonly string[], name: string): string | undefined {
  if (columns.includes(name)) return name;
  const wanted = name.trim().toLowerCase();
  return columns.find((c) => c.trim().toLowerCase() === wanted);
}

// Export values match ignoring case and surrounding spaces: "Closed Won" = "closed won ".
function valueMapSql(sql: string, map: ValueMap): string {
  const text = `lower(trim((${sql})::VARCHAR))`;
  const literal = (value: string | null) => (value === null ? 'NULL' : quoteLiteral(value));
  const blank = map.pairs.find(([from]) => from === '');
  const whens = map.pairs
    .filter(([from]) => from !== '')
    .map(([from, to]) => `WHEN ${text} = ${quoteLiteral(from.toLowerCase())} THEN ${literal(to)}`);
  const otherwise = map.otherwise === undefined ? `(${sql})::VARCHAR` : literal(map.otherwise);
  return `CASE WHEN ${text} IS NULL OR ${text} = '' THEN ${blank ? literal(blank[1]) : `(${sql})::VARCHAR`} ${whens.join(' ')} ELSE ${otherwise} END`;
}
