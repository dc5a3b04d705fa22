import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBMaterializedResult,
  DuckDBTypeId,
  type Json,
} from '@duckdb/node-api';
import { PulseError } from '../errors.ts';
import { type EngineLimits, engineLimitsFromEnv } from './engine-limits.ts';
import { explainPermissionError } from './lockdown.ts';
import { checkStatements, type GatePolicy } from './statement-gate.ts';

export type SqlValue = string | number | boolean | null;
export type Row = Record<string, Json>;
export type SqlParams = Record<string, SqlValue>;

export interface QueryResult {
  readonly columns: readonly { name: string; type: string }[];
  readonly rows: Row[];
}

/** Limits not given here come from PULSE_DUCKDB_THREADS and PULSE_DUCKDB_MEMORY. */
export interface DatabaseOptions extends EngineLimits {}

// JSON output gives these as strings to stay lossless; KPI values are doubles anyway.
const NUMERIC_AS_STRING = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.DECIMAL,
]);

/** A DuckDB connection that speaks plain JSON values and named parameters. */
export class Database {
  /** Set once the connection is locked: what user SQL may run from then on. */
  private gate: GatePolicy | undefined;

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
    private readonly memoryLimit: string | undefined,
  ) {}

  static async open(options: DatabaseOptions = {}): Promise<Database> {
    // Every command is bounded alike (report, send and schedule too): what the caller does not
    // set comes from the environment. Settings are fixed here, before the lock.
    const fromEnv = engineLimitsFromEnv(process.env);
    const threads = options.threads ?? fromEnv.threads;
    const memoryLimit = options.memoryLimit ?? fromEnv.memoryLimit;
    const config: Record<string, string> = {
      // Nothing may be fetched from the network at run time.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    if (threads) config.threads = String(threads);
    if (memoryLimit) config.memory_limit = memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const connection = await instance.connect();
    // Loading casts assume UTC; the dataset sets the report's zone once tables are typed.
    await connection.run("SET TimeZone = 'UTC'");
    return new Database(instance, connection, memoryLimit);
  }

  /** From now on every statement passes the statement gate (lib/data/statement-gate.ts). */
  restrictStatements(policy: GatePolicy): void {
    this.gate = policy;
  }

  /**
   * Throws when the SQL may not run on this connection; creates the folder of a file that a
   * COPY ... TO may write. Callers that run SQL without `query`/`run` call it first.
   */
  async admit(sql: string): Promise<void> {
    if (!this.gate) return;
    for (const file of checkStatements(sql, this.gate)) await mkdir(dirname(file), { recursive: true });
  }

  /** Runs one statement; only the parameters the SQL uses are bound. */
  async query(sql: string, params: SqlParams = {}): Promise<QueryResult> {
    const result = await this.runRaw(sql, params);
    const types = result.columnTypes();
    const names = result.columnNames();
    const rows = (await result.getRowObjectsJson()) as Row[];
    const numeric = names.filter((_, i) => {
      const type = types[i];
      return type !== undefined && NUMERIC_AS_STRING.has(type.typeId);
    });
    if (numeric.length > 0) {
      for (const row of rows) {
        for (const name of numeric) {
          const value = row[name];
          if (typeof value === 'string') row[name] = Number(value);
        }
      }
    }
    return { columns: names.map((name, i) => ({ name, type: String(types[i] ?? '') })), rows };
  }

  async rows(sql: string, params: SqlParams = {}): Promise<Row[]> {
    return (await this.query(sql, params)).rows;
  }

  async run(sql: string, params: SqlParams = {}): Promise<void> {
    await this.runRaw(sql, params);
  }

  private async runRaw(sql: string, params: SqlParams): Promise<DuckDBMaterializedResult> {
    const used = usedParams(sql);
    const missing = used.filter((name) => !(name in params));
    if (missing.length > 0) {
      throw new PulseError(
        'param',
        `the SQL uses ${missing.map((m) => `$${m}`).join(', ')} but no value was given; pass --param ${missing[0]}=VALUE`,
      );
    }
    const bound: Record<string, SqlValue> = {};
    for (const name of used) bound[name] = params[name] ?? null;
    await this.admit(sql);
    try {
      return used.length > 0 ? await this.connection.run(sql, bound) : await this.connection.run(sql);
    } catch (error) {
      const message = conciseDuckDbMessage((error as Error).message);
      const refused = explainPermissionError(message);
      throw new PulseError(
        'query',
        refused
          ? `refused: ${refused} (${message.split('\n')[0]})`
          : `${message}${memoryHint(message, this.memoryLimit)}`,
        { cause: error },
      );
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Named parameters (`$name`) in SQL, outside strings, quoted identifiers and comments. */
export function usedParams(sql: string): string[] {
  const names = new Set<string>();
  for (const match of stripLiterals(sql).matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)) {
    if (match[1]) names.add(match[1]);
  }
  return [...names];
}

/** Blanks out comments, string literals and quoted identifiers, keeping offsets. */
export function stripLiterals(sql: string): string {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|'(?:[^']|'')*'|"(?:[^"]|"")*"/g, (m) =>
    m.replace(/[^\n]/g, ' '),
  );
}

/** What to do when DuckDB ran out of its memory. */
export function memoryHint(message: string, limit: string | undefined): string {
  if (!/Out of Memory Error/i.test(message)) return '';
  return limit
    ? `\n(the memory limit is ${limit}, from PULSE_DUCKDB_MEMORY: raise it, e.g. PULSE_DUCKDB_MEMORY=8GB)`
    : '\n(DuckDB may use 80 % of memory by default; PULSE_DUCKDB_MEMORY sets the limit, e.g. 8GB)';
}

/** DuckDB lists every candidate overload on a type error; the first lines say what matters. */
function conciseDuckDbMessage(message: string): string {
  return message
    .split('\n')
    .filter((line) => !line.startsWith('\t'))
    .join('\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}
