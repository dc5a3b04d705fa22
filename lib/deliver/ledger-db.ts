// The state database: one DuckDB file in the state folder, opened for a short session and closed
// again, so `pulse schedule --status` and `pulse send` can read it while the daemon runs.
// DuckDB commits each statement to its write-ahead log before returning, so a row written
// before a crash (even kill -9) is there after it; closing checkpoints the log into the file.

import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DeliveryError } from './delivery-error.ts';

export type LedgerValue = string | number | boolean | null;
export type LedgerRow = Record<string, LedgerValue>;

const SENDS_COLUMNS = `(
    schedule VARCHAR NOT NULL,
    report VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    recipient VARCHAR NOT NULL,
    state VARCHAR NOT NULL CHECK (state IN ('pending', 'unknown', 'sent', 'failed', 'skipped')),
    transport VARCHAR,
    attempts INTEGER NOT NULL DEFAULT 0,
    message_id VARCHAR,
    smtp_response VARCHAR,
    failure_kind VARCHAR,
    error VARCHAR,
    params JSON,
    first_attempt_at TIMESTAMPTZ,
    last_attempt_at TIMESTAMPTZ,
    sent_at TIMESTAMPTZ,
    next_attempt_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (schedule, report, period, recipient)
  )`;

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS sends ${SENDS_COLUMNS}`,
  `CREATE TABLE IF NOT EXISTS sent_numbers (
    report VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    params_key VARCHAR NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    numbers JSON NOT NULL,
    PRIMARY KEY (report, period, params_key)
  )`,
  // One row per alert and key (the whole KPI, or a breakdown value): the state last seen.
  `CREATE TABLE IF NOT EXISTS alert_states (
    schedule VARCHAR NOT NULL,
    key VARCHAR NOT NULL,
    state VARCHAR NOT NULL CHECK (state IN ('holding', 'clear')),
    since TIMESTAMPTZ NOT NULL,
    period VARCHAR NOT NULL,
    value DOUBLE,
    episode INTEGER NOT NULL,
    announced BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (schedule, key)
  )`,
  `CREATE TABLE IF NOT EXISTS runs (
    schedule VARCHAR NOT NULL,
    scheduled_at TIMESTAMPTZ NOT NULL,
    report VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    state VARCHAR NOT NULL CHECK (state IN ('running', 'sent', 'partial', 'failed', 'missed')),
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    recipients INTEGER,
    sent INTEGER,
    failed INTEGER,
    skipped INTEGER,
    detail VARCHAR,
    PRIMARY KEY (schedule, scheduled_at)
  )`,
];

/** A short session on the state database. */
export class LedgerDb {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    readonly path: string,
  ) {}

  /** Opens (creating) the file; waits up to `lockWaitMs` while another pulse process holds it. */
  static async open(path: string, options: { lockWaitMs?: number } = {}): Promise<LedgerDb> {
    await mkdir(dirname(path), { recursive: true });
    const deadline = Date.now() + (options.lockWaitMs ?? 20_000);
    for (let wait = 20; ; wait = Math.min(wait * 2, 250)) {
      try {
        const instance = await DuckDBInstance.create(path, {
          autoinstall_known_extensions: 'false',
          autoload_known_extensions: 'false',
          threads: '1',
        });
        const connection = await instance.connect();
        await connection.run("SET TimeZone = 'UTC'");
        for (const statement of SCHEMA) await connection.run(statement);
        await allowUnknownState(connection);
        return new LedgerDb(instance, connection, path);
      } catch (error) {
        const message = (error as Error).message;
        if (!/Could not set lock/i.test(message)) {
          throw new DeliveryError(`the ledger ${path} cannot be opened: ${message.split('\n')[0]}`, {
            cause: error,
          });
        }
        if (Date.now() >= deadline) {
          const holder = /held in (.*?\(PID \d+\))/.exec(message)?.[1] ?? 'another process';
          throw new DeliveryError(
            `the ledger ${path} is busy (locked by ${holder}) for longer than expected; wait for that pulse process to finish or stop it`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  async rows(sql: string, params: Record<string, LedgerValue> = {}): Promise<LedgerRow[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as LedgerRow[];
  }

  async run(sql: string, params: Record<string, LedgerValue> = {}): Promise<void> {
    await this.connection.run(sql, params);
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * A ledger written before the "unknown" state existed has a CHECK that refuses it, and DuckDB
 * cannot alter a CHECK: the table is copied into the new definition once, in one transaction.
 */
async function allowUnknownState(connection: DuckDBConnection): Promise<void> {
  const reader = await connection.runAndReadAll(
    "SELECT sql FROM duckdb_tables() WHERE table_name = 'sends' AND schema_name = 'main'",
  );
  const sql = String(reader.getRowObjectsJson()[0]?.sql ?? '');
  if (sql.includes("'unknown'")) return;
  await connection.run('BEGIN TRANSACTION');
  try {
    await connection.run(`CREATE TABLE sends_v2 ${SENDS_COLUMNS}`);
    await connection.run('INSERT INTO sends_v2 SELECT * FROM sends');
    await connection.run('DROP TABLE sends');
    await connection.run('ALTER TABLE sends_v2 RENAME TO sends');
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}

/** Opens, works, closes: the lock is held only for the work. */
export async function withLedgerDb<T>(path: string, work: (db: LedgerDb) => Promise<T>): Promise<T> {
  const db = await LedgerDb.open(path);
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

/** An instant column as ISO text (select `iso(col)`-style: epoch milliseconds as a double). */
export function isoFromMs(value: LedgerValue): string | null {
  return value === null || value === undefined ? null : new Date(Number(value)).toISOString();
}
