// Contender (g), the exact-key floor: the part of the contract checks a scan does not do, alone
// and in its cheapest exact form, straight through @duckdb/node-api. For every table present,
// the number of repeated primary keys (64-bit hashes counted distinct); for every foreign key of
// the contract whose parent is present, the number of values missing from the parent (an anti
// join on hashes, as lib/data/validate.ts gates it). No blank, type, range or date tests, no
// listing of offending rows: checks that make every check the report makes cannot cost less.
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
const keyHash = (columns: readonly string[]) => `hash(${columns.map((c) => `"${c}"::VARCHAR`).join(', ')})`;

const statements: { check: string; sql: string }[] = [];
for (const table of CONTRACT) {
  const relation = relations.get(table.name);
  if (!relation) continue;
  if (table.primaryKey.length > 0) {
    statements.push({
      check: `${table.name} repeated keys`,
      sql: `SELECT count(*) - count(DISTINCT ${keyHash(table.primaryKey)}) AS n FROM ${relation}`,
    });
  }
  for (const column of table.columns) {
    const parent = column.references ? CONTRACT.find((t) => t.name === column.references) : undefined;
    const parentRelation = parent && relations.get(parent.name);
    if (!parent || !parentRelation) continue;
    statements.push({
      check: `${table.name}.${column.name} in ${parent.name}`,
      sql: `SELECT count(*) AS n FROM (SELECT ${keyHash([column.name])} AS h FROM ${relation} WHERE "${column.name}" IS NOT NULL) AS v ANTI JOIN (SELECT ${keyHash(parent.primaryKey)} AS h FROM ${parentRelation}) AS k ON v.h = k.h`,
    });
  }
}
const setupEnded = performance.now();
const cpuSetupEnded = cpuMs();

const timings: { check: string; ms: number; found: number }[] = [];
for (const { check, sql } of statements) {
  const t0 = performance.now();
  const reader = await connection.runAndReadAll(sql);
  const found = Number(reader.getRowObjectsJson()[0]?.n ?? 0);
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
