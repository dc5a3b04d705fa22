import { SQL_TYPES, type TableSpec } from './contract.ts';
import type { Database } from './database.ts';
import type { RawTable } from './raw-tables.ts';
import { castExpression, quoteIdent } from './sql-text.ts';

/**
 * Registers the table under its contract name with the contract's types. Missing optional
 * columns read as NULL; extra columns pass through for custom queries. CSV copies are
 * materialised once (their text is already in memory); Parquet stays a view so that
 * period filters prune row groups.
 */
export async function registerTypedTable(db: Database, raw: RawTable, spec: TableSpec): Promise<void> {
  const columns = spec.columns.map((column) => {
    const sourceType = raw.columnTypes.get(column.name);
    const expression =
      sourceType === undefined
        ? `NULL::${SQL_TYPES[column.type]}`
        : castExpression(column.name, column.type, sourceType, raw.source.format === 'csv');
    return `${expression} AS ${quoteIdent(column.name)}`;
  });
  const contractNames = new Set(spec.columns.map((c) => c.name));
  const extras = [...raw.columnTypes.keys()].filter((name) => !contractNames.has(name)).map(quoteIdent);
  const select = `SELECT ${[...columns, ...extras].join(', ')} FROM ${quoteIdent(raw.relation)}`;
  const name = quoteIdent(spec.name);
  if (raw.source.format === 'csv') {
    await db.run(`CREATE OR REPLACE TEMP TABLE ${name} AS ${select}`);
  } else {
    await db.run(`CREATE OR REPLACE VIEW ${name} AS ${select}`);
  }
}

/** An absent table is an empty one with every contract column, so KPI SQL always binds. */
export async function registerEmptyTable(db: Database, spec: TableSpec): Promise<void> {
  const columns = spec.columns.map((c) => `NULL::${SQL_TYPES[c.type]} AS ${quoteIdent(c.name)}`);
  await db.run(`CREATE OR REPLACE VIEW ${quoteIdent(spec.name)} AS SELECT ${columns.join(', ')} WHERE false`);
}
