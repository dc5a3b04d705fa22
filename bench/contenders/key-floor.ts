// Contender (g), the exact-key floor: the part of the contract checks a scan does not do, alone
// and in the cheapest exact form measured (helper-38's search, bench/README.md), straight through
// @duckdb/node-api. Each parent table's key hashes are built once into a temp table; its repeated
// keys are found by sorting them (any repeat of a hash is then counted exactly on the values), and
// every column referring to it is looked up in one anti join over their union. A table no column
// refers to sorts its key hashes alike (a composite key hashed on its own types, no text). No
// blank, type, range or date tests, no listing of offending rows: checks that make every check
// the report makes cannot cost less.
//
//   node --import tsx bench/contenders/key-floor.ts --data DIR [--threads N]
//
// Prints one JSON line: the time of the key work, each statement's time, peak memory.

import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { CONTRACT } from '../../lib/data/contract.ts';
import { cpuMs, peakMemoryKb } from '../lib/proc.ts';
import { tableFiles } from '../lib/tables.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, threads: { type: 'string' } } });
if (!values.data) throw new Error('--data is required');

const started = performance.now();
const config: Record<string, string> = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
};
if (values.threads) config.threads = values.threads;
const instance = await DuckDBInstance.create(':memory:', config);
const connection = await instance.connect();
const relations = new Map(tableFiles(values.data).map(({ table, relation }) => [table, relation]));
const quoted = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(', ');
// One column as text, as the references compare them; several on their own types.
const keyHash = (columns: readonly string[]) =>
  columns.length === 1 ? `hash("${columns[0]}"::VARCHAR)` : `hash(${quoted(columns)})`;
const present = [...CONTRACT].filter((t) => relations.has(t.name));
const referring = present.flatMap((table) =>
  table.columns.flatMap((column) =>
    column.references && relations.has(column.references)
      ? [{ table: table.name, column: column.name, parent: column.references }]
      : [],
  ),
);
const parents = new Set(referring.map((r) => r.parent));
const keysOf = (table: string) => `__keys_${table}`;

// Each statement returns one count `n`; a repeated hash is re-counted on the values.
const statements: { check: string; sql: string; exact?: string }[] = [];
for (const table of present) {
  if (!parents.has(table.name)) continue;
  statements.push({
    check: `${table.name} key hashes`,
    sql: `CREATE OR REPLACE TEMP TABLE ${keysOf(table.name)} AS SELECT ${keyHash(table.primaryKey)} AS h FROM ${relations.get(table.name)}`,
  });
}
for (const table of present) {
  if (table.primaryKey.length === 0) continue;
  const hashes = parents.has(table.name)
    ? keysOf(table.name)
    : `(SELECT ${keyHash(table.primaryKey)} AS h FROM ${relations.get(table.name)})`;
  statements.push({
    check: `${table.name} repeated keys`,
    sql: `SELECT count(*) AS n FROM (SELECT h = lag(h) OVER (ORDER BY h) AS repeat FROM ${hashes}) WHERE repeat`,
    exact: `SELECT coalesce(sum(n - 1), 0) AS n FROM (SELECT count(*) AS n FROM ${relations.get(table.name)} GROUP BY ${quoted(table.primaryKey)} HAVING count(*) > 1)`,
  });
}
for (const parent of parents) {
  const columns = referring.filter((r) => r.parent === parent);
  const union = columns
    .map(
      (r) =>
        `SELECT ${keyHash([r.column])} AS h FROM ${relations.get(r.table)} WHERE "${r.column}" IS NOT NULL`,
    )
    .join(' UNION ALL ');
  statements.push({
    check: `${columns.map((r) => `${r.table}.${r.column}`).join(', ')} in ${parent}`,
    sql: `SELECT count(*) AS n FROM (${union}) AS v ANTI JOIN ${keysOf(parent)} AS k ON v.h = k.h`,
  });
}
const setupEnded = performance.now();
const cpuSetupEnded = cpuMs();

const timings: { check: string; ms: number; found: number }[] = [];
const count = async (sql: string) =>
  Number((await connection.runAndReadAll(sql)).getRowObjectsJson()[0]?.n ?? 0);
for (const { check, sql, exact } of statements) {
  const t0 = performance.now();
  let found = await count(sql);
  if (found > 0 && exact) found = await count(exact);
  timings.push({ check, ms: performance.now() - t0, found });
}
const ended = performance.now();
const cpuEnded = cpuMs();
connection.closeSync();
instance.closeSync();

process.stdout.write(
  `${JSON.stringify({
    contender: 'key_floor',
    phases: { setup_ms: setupEnded - started, keys_ms: ended - setupEnded, total_ms: ended - started },
    cpu_phases: { keys_ms: cpuEnded - cpuSetupEnded },
    checks: timings,
    peak_kb: peakMemoryKb(),
  })}\n`,
);
