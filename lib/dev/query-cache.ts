// Query results remembered between preview runs. A query's result depends only on its SQL, its
// parameters and the data; the dev server drops the whole cache when the data changes, so a
// saved KPI file re-runs that KPI's queries and every other answer comes from memory.

import type { Database, QueryResult, SqlParams } from '../data/database.ts';
import { usedParams } from '../data/database.ts';
import { sameEveryRun } from '../data/steady-sql.ts';

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly entries: number;
}

export class QueryCache {
  private readonly entries = new Map<string, { result: Promise<QueryResult>; run: number }>();
  private run = 0;
  private hits = 0;
  private misses = 0;

  /** The same database, answering `query` and `rows` from the cache when it can. */
  wrap(db: Database): Database {
    const cached = (sql: string, params: SqlParams = {}) => this.query(db, sql, params);
    return new Proxy(db, {
      get: (target, property) => {
        if (property === 'query') return cached;
        if (property === 'rows')
          return async (sql: string, params?: SqlParams) => (await cached(sql, params)).rows;
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  /** Starts counting a new run; `sweep` then forgets what that run did not ask for. */
  startRun(): void {
    this.run += 1;
    this.hits = 0;
    this.misses = 0;
  }

  /** After a successful run: entries it did not use belong to SQL that no longer exists. */
  sweep(): void {
    for (const [key, entry] of this.entries) if (entry.run < this.run) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.entries.size };
  }

  private async query(db: Database, sql: string, params: SqlParams): Promise<QueryResult> {
    // Only the parameters the SQL uses are bound, so only they make the answer differ.
    const bound = Object.fromEntries(usedParams(sql).map((name) => [name, params[name] ?? null]));
    const key = `${sql}\u0000${JSON.stringify(bound)}`;
    let entry = this.entries.get(key);
    if (entry) this.hits += 1;
    else {
      this.misses += 1;
      // SQL whose answer may differ from one run to the next (now(), random(), a file read by
      // name) is asked each time, as the kept KPI rows are (lib/data/steady-sql.ts).
      if (!(await sameEveryRun(db, sql))) return copied(await db.query(sql, params));
      entry = { result: db.query(sql, params), run: this.run };
      this.entries.set(key, entry);
      // A failed query is asked again next time: the fix may be in the data or the macros.
      entry.result.catch(() => this.entries.delete(key));
    }
    entry.run = this.run;
    return copied(await entry.result);
  }
}

// Callers may reshape rows; each gets its own copies.
function copied({ columns, rows }: QueryResult): QueryResult {
  return { columns, rows: rows.map((row) => ({ ...row })) };
}
