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
import { explainPermissionError } from './permission-errors.ts';
import {
  type AdmittedStatement,
  admitStatements,
  type GatePolicy,
  type SqlParser,
} from './statement-gate.ts';

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
   * The statements of `sql` as they may run on this connection, in order (before the lock: the
   * SQL as it is); throws when one may not. Creates the folder of a file a COPY ... TO writes.
   * Callers that run SQL without `query`/`run` call it first and run what it returns.
   */
  async admit(sql: string): Promise<readonly AdmittedStatement[]> {
    if (!this.gate) return [{ sql, params: usedParams(sql) }];
    const admitted = await admitStatements(sql, this.gate, this.parser);
    if (admitted.length === 0)
      throw new PulseError('query', 'no SQL statement to run (only blanks or comments)');
    for (const { writes } of admitted) if (writes) await mkdir(dirname(writes), { recursive: true });
    return admitted;
  }

  /** DuckDB's own parser, asked without running the SQL (the statement gate's judge). */
  private readonly parser: SqlParser = {
    countStatements: async (sql) => {
      try {
        return (await this.connection.extractStatements(sql)).count;
      } catch (error) {
        throw new PulseError('query', conciseDuckDbMessage((error as Error).message), { cause: error });
      }
    },
    selectTrees: async (sql) => {
      const reader = await this.connection.runAndReadAll(
        'SELECT json_serialize_sql($sql::VARCHAR)::VARCHAR AS tree',
        {
          sql,
        },
      );
      const tree = JSON.parse(String(reader.getRowObjectsJson()[0]?.tree ?? '{}')) as {
        error?: boolean;
        error_message?: string;
        statements?: unknown[];
      };
      return tree.error ? { error: tree.error_message ?? 'parse error' } : { trees: tree.statements ?? [] };
    },
  };

  /**
   * A private folder DuckDB may read once files are fenced to the data folder (the dataset's spill
   * folder), for copies the loader makes of an export's files; the system's temp folder otherwise.
   */
  scratchDir: string | undefined;

  /** Names of the functions DuckDB declares may answer differently from one call to the next. */
  varyingFunctions(): Promise<ReadonlySet<string>> {
    // DuckDB 1.5 flags current_localtimestamp() and current_localtime() consistent, yet they read
    // the clock as now() does: named here, so a newer DuckDB's right flag changes nothing.
    this.varying ??= this.connection
      .runAndReadAll(
        "SELECT DISTINCT lower(function_name) AS name FROM duckdb_functions() WHERE stability IN ('VOLATILE', 'CONSISTENT_WITHIN_QUERY') OR lower(function_name) LIKE 'current_local%'",
      )
      .then((reader) => new Set(reader.getRowObjectsJson().map((r) => String(r.name))));
    return this.varying;
  }
  private varying: Promise<ReadonlySet<string>> | undefined;

  /**
   * Whether a table or view of this name (any case) is in the database: what SQL may read by name
   * besides files. The names are read once, and again for a name not among them (made since).
   */
  async hasRelation(name: string): Promise<boolean> {
    const lower = name.toLowerCase();
    this.relations ??= this.readRelations();
    if ((await this.relations).has(lower)) return true;
    this.relations = this.readRelations();
    return (await this.relations).has(lower);
  }
  private relations: Promise<ReadonlySet<string>> | undefined;

  private async readRelations(): Promise<ReadonlySet<string>> {
    const reader = await this.connection.runAndReadAll(
      'SELECT lower(table_name) AS name FROM duckdb_tables() UNION ALL SELECT lower(view_name) FROM duckdb_views()',
    );
    return new Set(reader.getRowObjectsJson().map((r) => String(r.name)));
  }

  /**
   * DuckDB's syntax trees of what a macro named `name` expands to, one per definition (its own
   * and the project's: `ago(i)` is `current_timestamp - i`); none for a function that is no macro.
   */
  macroBodies(
    name: string,
  ): Promise<readonly ({ readonly trees: readonly unknown[] } | { readonly error: string })[]> {
    let bodies = this.macroTrees.get(name);
    if (!bodies) {
      bodies = this.macroDefinitions().then((all) =>
        Promise.all((all.get(name.toLowerCase()) ?? []).map((sql) => this.syntaxTrees(sql))),
      );
      this.macroTrees.set(name, bodies);
    }
    return bodies;
  }
  private readonly macroTrees = new Map<
    string,
    Promise<readonly ({ readonly trees: readonly unknown[] } | { readonly error: string })[]>
  >();

  /**
   * Every macro's definition as SQL that parses, by lower-case name, read in one query:
   * duckdb_functions() lists thousands of functions, and asking it once a name cost more than
   * the KPI queries it was asked for. Macros are defined before any KPI runs (period-sql.ts).
   */
  private macroDefinitions(): Promise<ReadonlyMap<string, readonly string[]>> {
    this.macrosByName ??= this.connection
      .runAndReadAll(
        "SELECT lower(function_name) AS name, function_type AS kind, macro_definition AS body FROM duckdb_functions() WHERE function_type IN ('macro', 'table_macro')",
      )
      .then((reader) => {
        const byName = new Map<string, string[]>();
        for (const r of reader.getRowObjectsJson()) {
          const sql = r.kind === 'macro' ? `SELECT ${String(r.body)}` : String(r.body);
          byName.set(String(r.name), [...(byName.get(String(r.name)) ?? []), sql]);
        }
        return byName;
      });
    return this.macrosByName;
  }
  private macrosByName: Promise<ReadonlyMap<string, readonly string[]>> | undefined;

  /**
   * Whether DuckDB gives a bare word a value with no table to read it from (`current_date`,
   * `localtimestamp`, `user`): it parses as a column and binds to a value of the moment.
   */
  bindsAlone(word: string): Promise<boolean> {
    // Only a plain word can be such a keyword; nothing else is ever written into the SQL.
    if (!/^[a-z_][a-z0-9_]*$/i.test(word)) return Promise.resolve(false);
    let binds = this.alone.get(word);
    if (!binds) {
      binds = this.connection.run(`SELECT ${word} AS v`).then(
        () => true,
        () => false,
      );
      this.alone.set(word, binds);
    }
    return binds;
  }
  private readonly alone = new Map<string, Promise<boolean>>();

  /** DuckDB's syntax trees of `sql` (json_serialize_sql), or why it cannot be read: nothing runs. */
  syntaxTrees(sql: string): Promise<{ readonly trees: readonly unknown[] } | { readonly error: string }> {
    return this.parser.selectTrees(sql);
  }

  /** Binds, for one statement, the parameters it names; a name without a value is an error. */
  bindings(names: readonly string[], params: SqlParams): Record<string, SqlValue> {
    const missing = names.filter((name) => !(name in params));
    if (missing.length > 0) {
      throw new PulseError(
        'param',
        `the SQL uses ${missing.map((m) => `$${m}`).join(', ')} but no value was given; pass --param ${missing[0]}=VALUE`,
      );
    }
    return Object.fromEntries(names.map((name) => [name, params[name] ?? null]));
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
          if (typeof value === 'string') row[name] = jsonNumber(value);
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
    if (!this.gate) this.bindings(usedParams(sql), params);
    const statements = await this.admit(sql);
    let result: DuckDBMaterializedResult | undefined;
    for (const statement of statements) {
      const bound = this.bindings(statement.params, params);
      try {
        result =
          statement.params.length > 0
            ? await this.connection.run(statement.sql, bound)
            : await this.connection.run(statement.sql);
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
    if (!result) throw new PulseError('query', 'no SQL statement to run (only blanks or comments)');
    return result;
  }

  /**
   * Runs SQL the project itself wrote (constant text such as the period macros), past the
   * statement gate. Never user text: KPI files, queries and mapping snippets go through `run`.
   */
  async runOwn(sql: string): Promise<void> {
    await this.connection.run(sql);
    // The project's macros (period-sql.ts) are defined here: read again when next asked.
    if (/\bMACRO\b/i.test(sql)) {
      this.macrosByName = undefined;
      this.macroTrees.clear();
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * A lossless DuckDB number (BIGINT, HUGEINT, DECIMAL) as a JS number, unless it is an integer a
 * double cannot hold exactly (a 17-digit id): that one stays text, every digit kept.
 */
export function jsonNumber(text: string): number | string {
  const n = Number(text);
  return /^-?\d+$/.test(text) && !Number.isSafeInteger(n) ? text : n;
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
