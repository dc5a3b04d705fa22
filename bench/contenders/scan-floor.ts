// Contender (c), the single-scan floor: one pass over every table the KPI SQL reads, decoding
// every column it mentions, straight through @duckdb/node-api. No report can compute its KPIs
// from the files faster than it can read them once.
//
//   node --import tsx bench/contenders/scan-floor.ts --data DIR --capture FILE [--threads N]
//
// Prints one JSON line: the time of the scans, what was scanned, peak memory.

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { cpuMs, peakMemoryKb } from '../lib/proc.ts';
import { type Capture, kpiColumns } from '../lib/statements.ts';
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
const sources = tableFiles(values.data);
const schemas = new Map<string, string[]>();
for (const { table, relation } of sources) {
  const described = (
    await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`)
  ).getRowObjectsJson();
  schemas.set(
    table,
    described.map((c) => String(c.column_name)),
  );
}
const wanted = kpiColumns(capture, schemas);
const setupEnded = performance.now();
const cpuSetupEnded = cpuMs();

const scans: { table: string; columns: number; rows: number; ms: number }[] = [];
for (const { table, relation } of sources) {
  const columns = wanted.get(table);
  if (!columns || columns.length === 0) continue;
  const t0 = performance.now();
  // hash() of every column forces each value to be read and decoded; count(*) alone would
  // be answered from the Parquet footers.
  const reader = await connection.runAndReadAll(
    `SELECT count(*)::BIGINT AS n, sum(hash(${columns.map((c) => `"${c}"`).join(', ')}))::VARCHAR AS h FROM ${relation}`,
  );
  const [row] = reader.getRowObjectsJson();
  scans.push({ table, columns: columns.length, rows: Number(row?.n ?? 0), ms: performance.now() - t0 });
}
const ended = performance.now();
const cpuEnded = cpuMs();
connection.closeSync();
instance.closeSync();

process.stdout.write(
  `${JSON.stringify({
    contender: 'scan_floor',
    phases: { setup_ms: setupEnded - started, scan_ms: ended - setupEnded, total_ms: ended - started },
    cpu_phases: { scan_ms: cpuEnded - cpuSetupEnded },
    scans,
    rows: scans.reduce((n, s) => n + s.rows, 0),
    peak_kb: peakMemoryKb(),
  })}\n`,
);
