// Writes tables to Parquet through DuckDB. Rows are appended into typed tables (the appender
// casts the text of dates, timestamps and decimals exactly), then each table is copied out
// in its fixed order with a single thread, so the same rows always give the same bytes.

import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type Json } from '@duckdb/node-api';
import { SQL_TYPES, type TableSpec } from './schema.ts';
import type { Cell } from './tables.ts';

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (text: string) => `'${text.replaceAll("'", "''")}'`;

export class StagingDatabase {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  static async open(): Promise<StagingDatabase> {
    // One thread: parallel writers may order row groups differently from run to run.
    const instance = await DuckDBInstance.create(':memory:', {
      threads: '1',
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    });
    return new StagingDatabase(instance, await instance.connect());
  }

  async load(spec: TableSpec, rows: readonly (readonly Cell[])[]): Promise<void> {
    const columns = spec.columns.map(([name, type]) => `${quoteIdent(name)} ${SQL_TYPES[type]}`).join(', ');
    await this.connection.run(`CREATE OR REPLACE TABLE ${quoteIdent(spec.name)} (${columns})`);
    const appender = await this.connection.createAppender(spec.name);
    try {
      for (const row of rows) {
        if (row.length !== spec.columns.length) {
          throw new Error(`${spec.name}: expected ${spec.columns.length} values per row, got ${row.length}`);
        }
        for (const [i, value] of row.entries()) {
          const type = spec.columns[i]?.[1];
          if (value === null) appender.appendNull();
          else if (type === 'int') appender.appendInteger(Number(value));
          else if (type === 'double') appender.appendDouble(Number(value));
          else if (type === 'bool') appender.appendBoolean(Boolean(value));
          else appender.appendVarchar(String(value));
        }
        appender.endRow();
      }
    } finally {
      appender.closeSync();
    }
  }

  /** Runs a query over the loaded tables and returns JSON-safe rows. */
  async query(sql: string): Promise<Record<string, Json>[]> {
    const reader = await this.connection.runAndReadAll(sql);
    return reader.getRowObjectsJson();
  }

  /** Writes `<dir>/<table>.parquet` and returns the number of rows written. */
  async copyToParquet(spec: TableSpec, dir: string): Promise<number> {
    const order = spec.orderBy.map(quoteIdent).join(', ');
    const path = join(dir, `${spec.name}.parquet`);
    await this.connection.run(
      `COPY (SELECT * FROM ${quoteIdent(spec.name)} ORDER BY ${order}) TO ${quoteLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const [count] = await this.query(`SELECT count(*)::INTEGER AS n FROM ${quoteIdent(spec.name)}`);
    return Number(count?.n ?? 0);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
