// Contender (a'): ours, computing only the ten headline KPIs of the month: the same work as the
// pandas and Node peers, through the project's API (open the data folder, validate, run KPIs).
//
//   node --import tsx bench/contenders/headline-kpis.ts --data DIR --period 2026-10 [--patch NAME]...
//
// Prints one JSON line: timings, the ten values, peak memory.

import { parseArgs } from 'node:util';
import { assertNoErrors, openDataset } from '../../lib/data/dataset.ts';
import { readCatalog } from '../../lib/kpi/catalog.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { tablesRead } from '../../lib/kpi/tables-read.ts';
import { HEADLINE_TEN, type HeadlineValues } from '../lib/headline.ts';
import { applyPatches } from '../lib/patches.ts';
import { peakMemoryKb } from '../lib/proc.ts';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    period: { type: 'string', default: '2026-10' },
    now: { type: 'string', default: '2026-11-01T06:00:00Z' },
    patch: { type: 'string', multiple: true, default: [] },
  },
});
if (!values.data) throw new Error('--data is required');

const patches = await applyPatches(values.patch);
const started = performance.now();
const catalog = await readCatalog();
// As `pulse kpi` does: only the tables the ten KPIs read are read and checked (and targets).
const kpis = HEADLINE_TEN.map((id) => catalog.get(id));
const read = await tablesRead(kpis);
const tables = read ? new Set([...read, 'targets' as const]) : undefined;
const dataset = await openDataset({
  dataDir: values.data,
  timeZone: 'UTC',
  now: values.now,
  ...(tables ? { tables } : {}),
});
const loaded = performance.now();
const headline: HeadlineValues = {};
try {
  assertNoErrors(dataset);
  const span = parsePeriod(values.period);
  for (const id of HEADLINE_TEN) {
    const result = await runKpi(dataset, catalog.get(id), { span });
    headline[id] = result.available ? (result.rows[0]?.value ?? null) : null;
  }
} finally {
  dataset.close();
}
const ended = performance.now();

process.stdout.write(
  `${JSON.stringify({
    contender: 'ours_ten',
    patches,
    phases: { load_ms: loaded - started, kpi_ms: ended - loaded, total_ms: ended - started },
    headline,
    peak_kb: peakMemoryKb(),
  })}\n`,
);
