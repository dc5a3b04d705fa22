// Experiments for the report's design, applied inside the benchmark process only (never to
// lib/**): each one stands for a proposed change to the project and measures its effect on the
// same data. They work by rewriting the SQL the project sends through Database.run/query.
//
//   materialize   load each table once: the typed relation of a Parquet table becomes a
//                 TEMP TABLE (as CSV tables already are) instead of a view over the files,
//                 so the KPI queries read DuckDB's memory, not Parquet, and decode it once
//   materialize-file  the same into a DuckDB database file (compressed, buffer-managed)
//   one-series    each KPI series computed once over the longest history asked, then sliced
//   no-validate   answer the contract checks as "no problem found" without scanning: the
//                 upper bound of caching validation per data version (same files, same result)
//   threads=N     SET threads = N on the report's DuckDB

import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database, type QueryResult, type SqlParams } from '../../lib/data/database.ts';
import { addMonths } from '../../lib/kpi/period.ts';
import { isKpiQuery } from './statements.ts';

type Rewrite = (sql: string) => string;
type Answer = (sql: string) => QueryResult | undefined;

// The typed relation of a table: the only views named without the loader's __ prefix.
const TYPED_VIEW = /^CREATE OR REPLACE VIEW ("(?!__)[a-z_]+") AS (SELECT [\s\S]*)$/;
const VALIDATION_COUNTS = /^SELECT count\(\*\) FILTER \(/;
const VALIDATION_EXAMPLES = /^SELECT count\(\*\) OVER \(\) AS n, __file, __loc,/;

type Around = (
  sql: string,
  params: SqlParams,
  run: (sql: string, params: SqlParams) => Promise<QueryResult>,
) => Promise<QueryResult> | undefined;

interface Patch {
  readonly rewrite?: Rewrite;
  readonly answer?: Answer;
  /** Takes over a query (and may run others instead); undefined leaves it alone. */
  readonly around?: Around;
  readonly setup?: (db: Database) => Promise<void>;
}

function patchFor(name: string): Patch {
  if (name === 'materialize') {
    return {
      rewrite: (sql) => {
        const match = TYPED_VIEW.exec(sql.trim());
        return match ? `CREATE OR REPLACE TEMP TABLE ${match[1]} AS ${match[2]}` : sql;
      },
    };
  }
  if (name === 'materialize-file') {
    // The same, into a DuckDB database file: compressed, and evictable by the buffer manager.
    const file = join(tmpdir(), `crm-pulse-bench-store-${process.pid}.duckdb`);
    return {
      setup: async (db) => {
        await rm(file, { force: true });
        await db.connection.run(`ATTACH '${file}' AS store`);
        process.on('exit', () => rmSync(file, { force: true }));
      },
      rewrite: (sql) => {
        const match = TYPED_VIEW.exec(sql.trim());
        return match
          ? `CREATE OR REPLACE TABLE store.${match[1]} AS ${match[2]};
             CREATE OR REPLACE VIEW ${match[1]} AS SELECT * FROM store.${match[1]}`
          : sql;
      },
    };
  }
  if (name === 'one-series') {
    // Each KPI series computed once, over the longest history the report asks for (25 months
    // back from the period's end), and sliced: instead of once per history length asked.
    const cache = new Map<string, Promise<QueryResult>>();
    return {
      around: (sql, params, run) => {
        const start = params.start;
        const end = params.end;
        if (
          !isKpiQuery(sql) ||
          params.grain !== 'month' ||
          typeof start !== 'string' ||
          typeof end !== 'string'
        )
          return undefined;
        // Series only: the 24- and 25-month trends of one KPI with no breakdown.
        const widest = addMonths(end, -25);
        if (start < widest || start > addMonths(end, -24) || !sql.endsWith(') ORDER BY period_start'))
          return undefined;
        const key = `${sql}\u0000${JSON.stringify({ ...params, start: widest })}`;
        let found = cache.get(key);
        if (!found) {
          found = run(sql, { ...params, start: widest });
          cache.set(key, found);
        }
        return found.then((result) => ({
          columns: result.columns,
          rows: result.rows.filter((row) => String(row.period_start) >= start).map((row) => ({ ...row })),
        }));
      },
    };
  }
  if (name === 'no-validate') {
    return {
      answer: (sql) => {
        const text = sql.trim();
        if (VALIDATION_COUNTS.test(text) && /FROM "__(raw|staged)_[a-z_]+"$/.test(text)) {
          const aliases = [...text.matchAll(/ AS (c\d+)/g)].map((m) => m[1] ?? '');
          return {
            columns: aliases.map((name) => ({ name, type: 'BIGINT' })),
            rows: [Object.fromEntries(aliases.map((a) => [a, 0]))],
          };
        }
        if (VALIDATION_EXAMPLES.test(text)) return { columns: [], rows: [] };
        return undefined;
      },
    };
  }
  const threads = /^threads=(\d+)$/.exec(name);
  if (threads) {
    return { setup: (db) => db.connection.run(`SET threads = ${threads[1]}`).then(() => undefined) };
  }
  throw new Error(
    `unknown patch "${name}"; known: materialize, materialize-file, one-series, no-validate, threads=N`,
  );
}

/** Installs the named patches on Database; returns their names. */
export async function applyPatches(names: readonly string[]): Promise<string[]> {
  const patches = names.map(patchFor);
  if (patches.length === 0) return [];
  const rewrite = (sql: string) => patches.reduce((text, p) => (p.rewrite ? p.rewrite(text) : text), sql);
  const answer = (sql: string) => {
    for (const p of patches) {
      const found = p.answer?.(sql);
      if (found) return found;
    }
    return undefined;
  };
  const setups = patches.flatMap((p) => (p.setup ? [p.setup] : []));
  const prepared = new WeakSet<Database>();
  const prepare = async (db: Database) => {
    if (prepared.has(db)) return;
    prepared.add(db);
    for (const setup of setups) await setup(db);
  };
  const query = Database.prototype.query;
  const run = Database.prototype.run;
  const arounds = patches.flatMap((p) => (p.around ? [p.around] : []));
  Database.prototype.query = async function (this: Database, sql: string, params: SqlParams = {}) {
    await prepare(this);
    const answered = answer(sql);
    if (answered) return answered;
    const run = (text: string, values: SqlParams) => query.call(this, rewrite(text), values);
    for (const around of arounds) {
      const taken = around(sql, params, run);
      if (taken) return taken;
    }
    return run(sql, params);
  };
  Database.prototype.run = async function (this: Database, sql: string, params: SqlParams = {}) {
    await prepare(this);
    if (answer(sql)) return;
    return run.call(this, rewrite(sql), params);
  };
  return [...names];
}
