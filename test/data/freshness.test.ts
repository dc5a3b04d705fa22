import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { readFreshness } from '../../lib/data/freshness.ts';
import { FIXTURES, TEST_NOW } from '../helpers.ts';

const SAMPLE = fileURLToPath(new URL('../../data/sample', import.meta.url));

/** Freshness read the slow way: every table scanned, as if validation had kept no maxima. */
function scanned(dataset: Dataset): Dataset {
  const { eventMaxima: _ignored, ...rest } = dataset;
  return rest;
}

/** The SQL readFreshness sends, to see whether it scanned a table. */
function recordQueries(dataset: Dataset): string[] {
  const sent: string[] = [];
  const rows = dataset.db.rows.bind(dataset.db);
  dataset.db.rows = (sql, params) => {
    sent.push(sql);
    return rows(sql, params);
  };
  return sent;
}

describe('freshness from the validation pass', () => {
  for (const [name, dir, timeZone] of [
    ['the sample, UTC', SAMPLE, 'UTC'],
    ['the sample, Auckland', SAMPLE, 'Pacific/Auckland'],
    ['the sample, Los Angeles', SAMPLE, 'America/Los_Angeles'],
    ['rejected rows and a future date', `${FIXTURES}/contract-errors`, 'UTC'],
    ['the sales fixture', `${FIXTURES}/sales`, 'Europe/Berlin'],
  ] as const) {
    it(`gives what a scan gives: ${name}`, async () => {
      const dataset = await openDataset({
        dataDir: dir,
        now: TEST_NOW,
        timeZone,
        threads: 1,
        allowRejects: true,
      });
      try {
        expect(await readFreshness(dataset, TEST_NOW)).toEqual(
          await readFreshness(scanned(dataset), TEST_NOW),
        );
      } finally {
        dataset.close();
      }
    });
  }

  it('does not scan tables whose rows are all before the clock', async () => {
    const dataset = await openDataset({ dataDir: SAMPLE, now: TEST_NOW, threads: 1 });
    try {
      const sent = recordQueries(dataset);
      const freshness = await readFreshness(dataset, TEST_NOW);
      expect(freshness.find((f) => f.table === 'orders')?.latest).toBe('2026-10-31');
      expect(sent.filter((sql) => /\bFROM\b/i.test(sql))).toEqual([]);
    } finally {
      dataset.close();
    }
  });

  it('skips events after the clock, with a scan, and at another clock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-freshness-'));
    await writeFile(
      join(dir, 'orders.csv'),
      [
        'order_id,customer_id,ordered_at,amount',
        'A1,C1,2026-10-30T23:30:00,10',
        'A2,C1,2026-11-01T08:00:00,10',
        'A3,C1,2026-12-24T08:00:00,10',
      ].join('\n'),
    );
    const dataset = await openDataset({ dataDir: dir, now: TEST_NOW, timeZone: 'Europe/Berlin', threads: 1 });
    try {
      const latest = async (now: string) =>
        (await readFreshness(dataset, now)).find((f) => f.table === 'orders')?.latest;
      // The December order is in the future: a warning, and not "data as of".
      expect(await latest(TEST_NOW)).toBe('2026-11-01');
      // 23:30 UTC is the next day in Berlin; a clock before the November order ignores it.
      expect(await latest('2026-10-31T12:00:00Z')).toBe('2026-10-31');
      expect(await latest('2027-01-01T00:00:00Z')).toBe('2026-12-24');
    } finally {
      dataset.close();
    }
  });
});
