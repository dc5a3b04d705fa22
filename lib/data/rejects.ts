// Rows that cannot be used: kept, counted and listed, never silently dropped. KPIs run on the
// good rows only when the user allows it; sending refuses above a share of rejected rows.

import { PulseError } from '../errors.ts';
import type { Database } from './database.ts';
import type { MalformedRow } from './malformed-row.ts';

/** One row per (rejected row, reason): malformed lines and rows with an error. */
export const REJECTED_TABLE = '__rejected';

export interface TableRejects {
  readonly table: string;
  /** Rows left out of the table. */
  readonly rows: number;
  /** Rows the files hold, readable or not, less those the mapping's `where` leaves out. */
  readonly total: number;
}

/** A table that lost rows, with the share of its own rows it lost. */
export interface TableRejectShare extends TableRejects {
  /** rows ÷ total. */
  readonly share: number;
}

export interface RejectSummary {
  readonly rows: number;
  readonly total: number;
  /** rows ÷ total, 0 when there is no data. */
  readonly share: number;
  readonly tables: readonly TableRejects[];
}

/** How many rejected rows a run accepts. */
export interface RejectPolicy {
  /** `--allow-rejects`: compute on the good rows whatever their share. */
  readonly allowRejects: boolean;
  /** Without the flag, the share accepted (PULSE_MAX_REJECT_SHARE; default 0). */
  readonly maxRejectShare: number;
}

/** Sending is refused above this share unless configured otherwise. */
export const DEFAULT_MAX_SEND_REJECT_SHARE = 0.05;
/** The report shows a banner above this share (the count is always shown). */
export const BANNER_REJECT_SHARE = 0.01;

export interface RejectedRow {
  readonly table: string;
  readonly file: string;
  readonly line: number;
  /** The contract column, or the field position of a malformed line; absent for the whole row. */
  readonly column?: string;
  /** The kind of error: too_many_fields, unparsable, unknown_value, duplicate_key, ... */
  readonly error: string;
  readonly message: string;
  /** The row as written in the file (Parquet: as JSON), cut at 200 characters. */
  readonly raw: string;
}

export async function createRejectedTable(db: Database): Promise<void> {
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${REJECTED_TABLE} (tbl VARCHAR, file VARCHAR, rec BIGINT, loc BIGINT,
       rule VARCHAR, error VARCHAR, col VARCHAR, value VARCHAR, detail VARCHAR)`,
  );
}

export async function recordMalformed(
  db: Database,
  table: string,
  rows: readonly MalformedRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const appender = await db.connection.createAppender(REJECTED_TABLE, 'main', 'temp');
  for (const row of rows) {
    appender.appendVarchar(table);
    appender.appendVarchar(row.file);
    appender.appendBigInt(BigInt(row.seq));
    appender.appendBigInt(BigInt(row.line));
    appender.appendVarchar('malformed_line');
    appender.appendVarchar(row.error);
    if (row.field === undefined) appender.appendNull();
    else appender.appendVarchar(`field ${row.field}`);
    appender.appendVarchar(row.raw);
    appender.appendVarchar(row.detail);
    appender.endRow();
  }
  appender.closeSync();
}

export async function summariseRejects(
  db: Database,
  totals: readonly { readonly table: string; readonly total: number }[],
): Promise<RejectSummary> {
  const counted = await db.rows(
    `SELECT tbl, count(DISTINCT (file, rec)) AS n FROM ${REJECTED_TABLE} GROUP BY tbl`,
  );
  const byTable = new Map(counted.map((r) => [String(r.tbl), Number(r.n)]));
  const tables = totals.map(({ table, total }) => ({ table, rows: byTable.get(table) ?? 0, total }));
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  const total = tables.reduce((n, t) => n + t.total, 0);
  return { rows, total, share: total === 0 ? 0 : rows / total, tables };
}

/** The share of all rows rejected (0 to 1), every table together. */
export function rejectShare(dataset: { readonly rejects: Pick<RejectSummary, 'share'> }): number {
  return dataset.rejects.share;
}

/**
 * The tables that lost rows, each with the share of its own rows: the one measure the report,
 * sending and `pulse kpi` judge rejects by. A share of every table together would count a file
 * mapped into three tables three times, and dilute 10 % of a small table in the large ones.
 */
export function tableRejectShares(tables: readonly TableRejects[]): TableRejectShare[] {
  return tables.filter((t) => t.rows > 0 && t.total > 0).map((t) => ({ ...t, share: t.rows / t.total }));
}

/** `12 rows rejected (1.2 %)` */
export function formatRejectSummary(rejects: Pick<RejectSummary, 'rows' | 'share'>): string {
  return `${rejects.rows.toLocaleString('en-US')} ${rejects.rows === 1 ? 'row' : 'rows'} rejected (${formatShare(rejects.share)})`;
}

/**
 * What `pulse kpi` computed on the good rows says on stderr, per table its KPIs read:
 * `rows rejected for data errors were left out of these numbers: 4 % of opportunities (2 of 50
 * rows; close_rate, won_revenue); \`pulse check\` lists them`. Undefined when none read any.
 */
export function leftOutNote(readBy: ReadonlyMap<string, readonly TableRejectShare[]>): string | undefined {
  const tables = new Map<string, { readonly read: TableRejectShare; readonly kpis: string[] }>();
  for (const [kpi, reads] of readBy)
    for (const read of reads) {
      const entry = tables.get(read.table) ?? { read, kpis: [] };
      entry.kpis.push(kpi);
      tables.set(read.table, entry);
    }
  if (tables.size === 0) return undefined;
  const lost = [...tables.values()]
    .map(
      ({ read, kpis }) =>
        `${formatShare(read.share)} of ${read.table} (${read.rows.toLocaleString('en-US')} of ${read.total.toLocaleString('en-US')} rows; ${kpis.join(', ')})`,
    )
    .join(', ');
  return `rows rejected for data errors were left out of these numbers: ${lost}; \`pulse check\` lists them`;
}

export function formatShare(share: number): string {
  const percent = share * 100;
  if (percent === 0) return '0 %';
  if (percent < 0.01) return '< 0.01 %';
  return `${percent < 10 ? Number(percent.toPrecision(2)) : Math.round(percent)} %`;
}

/**
 * Why a report must not be sent, or undefined: a table it reads lost more than `maxShare` of its
 * rows, so the numbers computed from it may be the rejects' as much as the business's.
 */
export function sendRefusal(
  reads: readonly TableRejectShare[],
  maxShare = DEFAULT_MAX_SEND_REJECT_SHARE,
): string | undefined {
  const over = reads.filter((r) => r.share > maxShare);
  if (over.length === 0) return undefined;
  const lost = over
    .map(
      (r) =>
        `${r.table} lost ${formatShare(r.share)} of its rows (${r.rows.toLocaleString('en-US')} of ${r.total.toLocaleString('en-US')})`,
    )
    .join(', ');
  return `${lost} to data errors, more than the ${formatShare(maxShare)} a table the report reads may lose for it to be sent; fix the export (\`pulse check\` lists every rejected row) or raise PULSE_MAX_SEND_REJECT_SHARE`;
}

/** `0.02`, `2%` or `2 %` → 0.02. */
export function parseShare(text: string, name: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const value = match ? Number(match[1]) / (match[2] ? 100 : 1) : Number.NaN;
  if (!(value >= 0 && value <= 1)) {
    throw new PulseError('usage', `${name} "${text}" is not a share; write e.g. 0.02 or 2%`);
  }
  return value;
}

/** `data/opportunities.csv:17:amount  unparsable  "$1200", expected ...` and the raw line. */
export function formatRejectedRow(row: RejectedRow): string[] {
  const where = `${row.file}:${row.line}${row.column ? `:${row.column.replace(/^field /, '')}` : ''}`;
  return [`${where}  ${row.error}  ${row.message}`, `    ${JSON.stringify(row.raw)}`];
}
