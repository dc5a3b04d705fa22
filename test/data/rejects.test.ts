// 1,000 bad rows of six kinds mixed into 100,000 good ones: with rejects allowed, every KPI of
// the opportunities table equals the KPI computed from the good rows alone, and every bad row
// is listed with its line, its kind of error and its text.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoErrors, type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { readRejectedRows } from '../../lib/data/read-rejected-rows.ts';
import { rejectShare, sendRefusal, tableRejectShares } from '../../lib/data/rejects.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { Rng } from '../../tools/generate-sample/rng.ts';
import { TEST_NOW, testCatalog } from '../helpers.ts';

const GOOD = 100_000;
const BAD = 1_000;
const KINDS = [
  'too_many_fields',
  'unparsable_date',
  'unparsable_amount',
  'unknown_value',
  'required_null',
  'duplicate_key',
];
const HEADER = 'opportunity_id,customer_id,owner_id,amount,created_at,closed_at,status,kind';

interface BadLine {
  readonly line: number;
  readonly kind: string;
  readonly text: string;
}

let dir: string;
let mixed: Dataset;
let clean: Dataset;
let bad: BadLine[];

function goodRow(rng: Rng, n: number): string {
  const created = Date.UTC(2025, 0, 1) + rng.int(0, 600) * 86_400_000 + rng.int(0, 86_399) * 1000;
  const roll = rng.next();
  const status = roll < 0.3 ? 'won' : roll < 0.75 ? 'lost' : 'open';
  const closed = status === 'open' ? '' : iso(created + rng.int(3600, 120 * 86_400) * 1000);
  const amount = (rng.int(100, 5_000_000) / 100).toFixed(2);
  const kind = ['new_business', 'upsell', 'cross_sell', 'renewal'][rng.int(0, 3)];
  return `O${n},C${rng.int(1, 5000)},U${rng.int(1, 40)},${amount},${iso(created)},${closed},${status},${kind}`;
}

function rounded(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_, v) => (typeof v === 'number' ? Number(v.toPrecision(12)) : v));
}

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19);

// A bad row looks like a good one (same dates, a won deal) so that counting it would show.
function badRow(rng: Rng, kind: string, n: number, earlierId: string): string {
  const fields = goodRow(rng, n).split(',');
  fields[6] = 'won';
  fields[5] ||= '2026-06-15T10:00:00';
  switch (kind) {
    case 'too_many_fields':
      return `${fields.join(',')},stray`;
    case 'unparsable_date':
      fields[4] = '31/13/2025';
      break;
    case 'unparsable_amount':
      fields[3] = '$1,200.00';
      return fields.map((f, i) => (i === 3 ? `"${f}"` : f)).join(',');
    case 'unknown_value':
      fields[6] = 'Closed Won';
      break;
    case 'required_null':
      fields[0] = '';
      break;
    case 'duplicate_key':
      fields[0] = earlierId;
      break;
  }
  return fields.join(',');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-rejects-'));
  const rng = new Rng(20261115);
  const goodLines: string[] = [];
  for (let n = 1; n <= GOOD; n++) goodLines.push(goodRow(rng, n));
  // Bad rows go between good ones, never before the first: a duplicate repeats an earlier id.
  const slots = new Set<number>();
  while (slots.size < BAD) slots.add(rng.int(1, GOOD + BAD - 1));
  const lines = [HEADER];
  bad = [];
  let nextGood = 0;
  let k = 0;
  for (let i = 0; i < GOOD + BAD; i++) {
    if (slots.has(i) && nextGood > 0) {
      const kind = KINDS[k++ % KINDS.length] as string;
      const text = badRow(rng, kind, GOOD + k, `O${rng.int(1, nextGood)}`);
      bad.push({ line: lines.length + 1, kind, text });
      lines.push(text);
    } else if (nextGood < GOOD) lines.push(goodLines[nextGood++] as string);
  }
  expect(bad).toHaveLength(BAD);
  await mkdir(join(dir, 'mixed'));
  await mkdir(join(dir, 'clean'));
  await writeFile(join(dir, 'mixed', 'opportunities.csv'), `${lines.join('\n')}\n`);
  await writeFile(join(dir, 'clean', 'opportunities.csv'), `${[HEADER, ...goodLines].join('\n')}\n`);
  mixed = await openDataset({ dataDir: join(dir, 'mixed'), now: TEST_NOW, allowRejects: true, threads: 2 });
  clean = await openDataset({ dataDir: join(dir, 'clean'), now: TEST_NOW, threads: 2 });
}, 60_000);

afterAll(async () => {
  mixed?.close();
  clean?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rejected rows', () => {
  it('counts every bad row once and none of the good ones', () => {
    expect(mixed.rejects).toMatchObject({ rows: BAD, total: GOOD + BAD });
    expect(rejectShare(mixed)).toBeCloseTo(BAD / (GOOD + BAD), 10);
    expect(mixed.tables[0]).toMatchObject({ records: GOOD + BAD, rejected: BAD, loaded: GOOD });
    expect(clean.rejects.rows).toBe(0);
  });

  it('lists every bad row with its line, its kind of error and its text', async () => {
    const rows = await readRejectedRows(mixed);
    expect(rows).toHaveLength(BAD);
    const expectedError: Record<string, string> = {
      too_many_fields: 'too_many_fields',
      unparsable_date: 'unparsable',
      unparsable_amount: 'unparsable',
      unknown_value: 'unknown_value',
      required_null: 'required_null',
      duplicate_key: 'duplicate_key',
    };
    const found = rows.map((r) => [r.line, r.error, r.raw]);
    const wanted = bad.map((b) => [b.line, expectedError[b.kind], b.text]);
    expect(found).toEqual(wanted);
    expect(rows.find((r) => r.error === 'unparsable' && r.column === 'amount')?.message).toMatch(
      /^"\$1,200\.00", expected a plain decimal/,
    );
  });

  it('gives every KPI of the opportunities table the value of the good rows alone', async () => {
    const catalog = await testCatalog();
    const kpis = catalog.kpis.filter(
      (k) =>
        k.unit !== 'table' && k.params.length === 0 && k.needs.every((n) => n.startsWith('opportunities.')),
    );
    expect(kpis.map((k) => k.id)).toEqual(
      expect.arrayContaining(['close_rate', 'won_revenue', 'sales_cycle_days']),
    );
    const span = { start: '2025-01-01', end: '2026-11-01', grain: 'month' as const };
    for (const kpi of kpis) {
      const a = await runKpi(mixed, kpi, { span });
      const b = await runKpi(clean, kpi, { span });
      expect(a.available || kpi.needs.includes('opportunities.competitor'), kpi.id).toBe(true);
      // Sums of doubles may be added in another order: equal to 12 significant digits.
      expect(rounded(a), kpi.id).toEqual(rounded(b));
    }
  });

  it('computes only when allowed, and says how many rows were left out and why', async () => {
    expect(() => assertNoErrors(mixed)).not.toThrow();
    const strict = { ...mixed, policy: { allowRejects: false, maxRejectShare: 0 } };
    expect(() => assertNoErrors(strict)).toThrow(
      /1,000 rows rejected \(0\.99 %\) for contract errors \(.*duplicate_key.*\); no KPI is computed from broken data\. Run `pulse check --data .*` .*--allow-rejects/,
    );
    const lenient = { ...mixed, policy: { allowRejects: false, maxRejectShare: 0.01 } };
    expect(() => assertNoErrors(lenient)).not.toThrow();
    const reads = tableRejectShares(mixed.rejects.tables);
    expect(sendRefusal(reads)).toBeUndefined();
    expect(sendRefusal(reads, 0.005)).toMatch(
      /^opportunities lost 0\.99 % of its rows \(1,000 of 101,000\) to data errors, more than the 0\.5 %/,
    );
  });
});
