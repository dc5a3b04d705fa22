// Contender (b), the engine floor: the KPI SQL the report sent, with the same parameters, run
// straight through @duckdb/node-api on views over the Parquet files. No project code runs:
// no loader, no validation, no casts, no result shaping.
//
//   node --import tsx bench/contenders/engine-floor.ts --data DIR --capture FILE [--threads N]
//
// Prints one JSON line: the time of the KPI queries, a digest of each result, peak memory.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { cpuMs, peakMemoryKb } from '../lib/proc.ts';
import { digestRows, queryKey } from '../lib/result-digest.ts';
import { type Capture, isKpiQuery, isMacroDefinition, isSharedState } from '../lib/statements.ts';
import { tableFiles } from '../lib/tables.ts';

const { values } = parseArgs({
  options: { data: { type: 'string' }, capture: { type: 'string' }, threads: { type: 'string' } },
});
if (!values.data || !values.capture) throw new Error('--data and --capture are required');
const capture = JSON.parse(readFileSync(values.capture, 'utf8')) as Capture;

const started = performance.now();
const config: Record<string, string> = {
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
};
if (values.threads) config.threads = values.threads;
const instance = await DuckDBInstance.create(':memory:', config);
const connection = await instance.connect();
await connection.run("SET TimeZone = 'UTC'");
// The contract's timestamps are naive UTC, and KPI SQL compares them with TIMESTAMPTZ period
// bounds, so the views make them TIMESTAMPTZ, with the fastest conversion DuckDB has:
// make_timestamptz(epoch_us(ts)), as the loader does. (timezone('UTC', ts) or a plain
// ::TIMESTAMPTZ cast goes through ICU for every row and makes the KPI queries
// about 1.5x slower; leaving them naive casts inside every join condition, slower still.)
for (const { table, relation } of tableFiles(values.data)) {
  const columns = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`)).getRowObjectsJson();
  const naive = columns.filter((c) => c.column_type === 'TIMESTAMP').map((c) => `"${c.column_name}"`);
  const replace =
    naive.length > 0
      ? ` REPLACE (${naive.map((c) => `make_timestamptz(epoch_us(${c})) AS ${c}`).join(', ')})`
      : '';
  await connection.run(`CREATE VIEW "${table}" AS SELECT *${replace} FROM ${relation}`);
  // KPI SQL reads the whole business's rows by this name in a scoped report too (lib/data/scope.ts).
  await connection.run(`CREATE VIEW "unscoped_${table}" AS SELECT * FROM "${table}"`);
}
for (const statement of capture.statements)
  if (isMacroDefinition(statement.sql)) await connection.run(statement.sql);
const setupEnded = performance.now();
const cpuSetupEnded = cpuMs();

const digests: Record<string, string> = {};
const times: number[] = [];
let sharedMs = 0;
for (const statement of capture.statements) {
  const t0 = performance.now();
  // Shared state a KPI reads is made where the report made it, and timed with the KPIs.
  if (isSharedState(statement.sql)) {
    await connection.run(statement.sql);
    sharedMs += performance.now() - t0;
    continue;
  }
  if (!isKpiQuery(statement.sql)) continue;
  const result =
    Object.keys(statement.params).length > 0
      ? await connection.run(statement.sql, statement.params)
      : await connection.run(statement.sql);
  const rows = await result.getRowObjectsJson();
  times.push(performance.now() - t0);
  digests[queryKey(statement.sql, statement.params)] = digestRows(rows);
}
const ended = performance.now();
const cpuEnded = cpuMs();
connection.closeSync();
instance.closeSync();

process.stdout.write(
  `${JSON.stringify({
    contender: 'engine_floor',
    phases: { setup_ms: setupEnded - started, kpi_ms: ended - setupEnded, total_ms: ended - started },
    cpu_phases: { kpi_ms: cpuEnded - cpuSetupEnded },
    queries: times.length,
    shared_state_ms: sharedMs,
    query_ms: times,
    digests,
    peak_kb: peakMemoryKb(),
  })}\n`,
);
