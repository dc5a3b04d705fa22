import {
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBMaterializedResult,
  DuckDBTypeId,
  type Json,
} from '@duckdb/node-api';
import { PulseError } from '../errors.ts';
import { explainPermissionError } from './lockdown.ts';

export type SqlValue = string | number | boolean | null;
export type Row = Record<string, Json>;
export type SqlParams = Record<string, SqlValue>;

export interface QueryResult {
  readonly columns: readonly { name: string; type: string }[];
  readonly rows: Row[];
}

export interface DatabaseOptions {
  /** DuckDB worker threads; defaults to DuckDB's own choice (one per core). */
  readonly threads?: number;
  /** e.g. '4GB'. */
  readonly memoryLimit?: string;
}

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
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(options: DatabaseOptions = {}): Promise<Database> {
    const config: Record<string, string> = {
      // Nothing may be fetched from the network at run time.
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const connection = await instance.connect();
    // Loading casts assume UTC; the dataset sets the report's zone once tables are typed.
    await connection.run("SET TimeZone = 'UTC'");
    return new Database(instance, connection);
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
    try {
      return used.length > 0 ? await this.connection.run(sql, bound) : await this.connection.run(sql);
    } catch (error) {
      const message = conciseDuckDbMessage((error as Error).message);
      const refused = explainPermissionError(message);
      throw new PulseError('query', refused ? `refused: ${refused} (${message.split('\n')[0]})` : message, {
        cause: error,
      });
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

/** DuckDB lists every candidate overload on a type error; the first lines say what matters. */
function conciseDuckDbMessage(message: string): string {
  return message
    .split('\n')
    .filter((line) => !line.startsWith('\t'))
    .join('\n')
    .replace(/\n{2,}/g, '\n')
    .trim();
}
