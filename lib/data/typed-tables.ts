import { SQL_TYPES, type TableSpec } from './contract.ts';
import type { Database } from './database.ts';
import { REJECTED_TABLE } from './rejects.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';
import { type StagedTable, typedExpression } from './staged-tables.ts';

/**
 * Registers the table under its contract name with the contract's types, without its rejected
 * rows. Missing optional columns read as NULL; the export's other columns pass through for
 * custom queries. CSV copies are materialised once (their text is already in memory); Parquet
 * stays a view so that period filters prune row groups.
 */
export async function registerTypedTable(
  db: Database,
  staged: StagedTable,
  hasRejects: boolean,
): Promise<void> {
  const { spec } = staged;
  const columns = spec.columns.map((column) => {
    const expression = typedExpression(staged, column.name) ?? `NULL::${SQL_TYPES[column.type]}`;
    return `${expression} AS ${quoteIdent(column.name)}`;
  });
  const isRejected = `EXISTS (SELECT 1 FROM ${REJECTED_TABLE} r
         WHERE r.tbl = ${quoteLiteral(spec.name)} AND r.file = s.__file AND r.rec = s.__rec)`;
  const rejected = hasRejects ? `WHERE NOT ${isRejected}` : '';
  if (hasRejects) {
    // When the rows left out fell (rejected-reads.ts): their event columns, where they can be read.
    // With, per date, whether it was written but cannot be read (a blank one is no date: an open
    // deal's closed_at), such a row may be in any period.
    const events = spec.columns
      .filter((c) => c.event)
      .flatMap((c) => {
        const typed = typedExpression(staged, c.name);
        const raw = quoteIdent(c.name);
        const unread = quoteIdent(unreadColumn(c.name));
        return typed
          ? [
              `${typed} AS ${raw}`,
              `(${raw} IS NOT NULL AND trim(${raw}::VARCHAR) <> '' AND (${typed}) IS NULL) AS ${unread}`,
            ]
          : [`NULL::${SQL_TYPES[c.type]} AS ${raw}`, `false AS ${unread}`];
      });
    // A CSV's text copy goes once typed: its rejected rows' dates are kept, as its rows are.
    const kind = staged.raw.source.format === 'csv' ? 'TEMP TABLE' : 'VIEW';
    if (events.length > 0)
      await db.run(
        `CREATE OR REPLACE ${kind} ${quoteIdent(rejectedRowsRelation(spec.name))} AS
         SELECT ${events.join(', ')} FROM ${quoteIdent(staged.relation)} s WHERE ${isRejected}`,
      );
  }
  const select = `SELECT ${[...columns, ...staged.extras.map(quoteIdent)].join(', ')}
    FROM ${quoteIdent(staged.relation)} s ${rejected}`;
  const name = quoteIdent(spec.name);
  if (staged.raw.source.format === 'csv') {
    await db.run(`CREATE OR REPLACE TEMP TABLE ${name} AS ${select}`);
  } else {
    await db.run(`CREATE OR REPLACE VIEW ${name} AS ${select}`);
  }
}

/** Whether a rejected row's date was written but cannot be read. */
export function unreadColumn(column: string): string {
  return `__unread_${column}`;
}

/** The event columns (dates) of a table's rejected rows, typed where they read. */
export function rejectedRowsRelation(table: string): string {
  return `__rejected_rows_${table}`;
}

/** An absent table is an empty one with every contract column, so KPI SQL always binds. */
export async function registerEmptyTable(db: Database, spec: TableSpec): Promise<void> {
  const columns = spec.columns.map((c) => `NULL::${SQL_TYPES[c.type]} AS ${quoteIdent(c.name)}`);
  await db.run(`CREATE OR REPLACE VIEW ${quoteIdent(spec.name)} AS SELECT ${columns.join(', ')} WHERE false`);
}

/**
 * A table the export has but this run did not read (`tables` in openDataset): every contract
 * column, so SQL binds, and reading a row of it fails with the reason, never an empty answer.
 */
export async function registerClosedTable(
  db: Database,
  spec: TableSpec,
  extras: readonly string[] = [],
): Promise<void> {
  const reason = quoteLiteral(
    `${spec.name} was not read for this command (it reads only the tables its KPIs name); run it without naming KPIs, or use pulse query`,
  );
  // The export's own columns are named too: SQL reading one binds to this table, as it would to
  // the open one (never to another relation's column of that name), and fails saying why. Each
  // value is the error itself: a NULL would let DuckDB fold `WHERE territory = 'EMEA'` to false
  // and answer 0 without reading a row.
  const columns = [
    ...spec.columns.map((c) => ({ name: c.name, type: SQL_TYPES[c.type] })),
    ...extras.map((name) => ({ name, type: 'VARCHAR' })),
  ].map(({ name, type }) => `error(${reason})::${type} AS ${quoteIdent(name)}`);
  await db.run(
    `CREATE OR REPLACE VIEW ${quoteIdent(spec.name)} AS SELECT ${columns.join(', ')} FROM range(1) WHERE error(${reason}) IS NULL`,
  );
}
