// Each preset in mappings/ on a small export written in that vendor's own format
// (test/fixtures/mapping-*), giving the hand-computed close rate, sales cycle and won revenue
// of October 2026. In each: 2 deals won and 2 lost in October, 1 open, 1 won in September.

import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { openDataset } from '../../lib/data/dataset.ts';
import { FIXTURES, kpiRow, TEST_NOW } from '../helpers.ts';

async function withPreset(preset: string, work: (dataset: Dataset) => Promise<void>): Promise<void> {
  const dataset = await openDataset({
    dataDir: `${FIXTURES}/mapping-${preset}`,
    mapping: preset,
    now: TEST_NOW,
    threads: 1,
  });
  try {
    expect(dataset.problems).toEqual([]);
    await work(dataset);
  } finally {
    dataset.close();
  }
}

async function sales(dataset: Dataset) {
  return {
    closeRate: (await kpiRow(dataset, 'close_rate', '2026-10')).value,
    salesCycle: (await kpiRow(dataset, 'sales_cycle_days', '2026-10')).value,
    wonRevenue: (await kpiRow(dataset, 'won_revenue', '2026-10')).value,
  };
}

describe('mapping presets', () => {
  it('salesforce: a report export with M/D/YYYY dates, Closed Won/Lost stages and its footer', async () => {
    await withPreset('salesforce', async (dataset) => {
      // Won: 9/1 → 10/11 (40 days), 9/21 → 10/21 (30 days); 1000 + 2500.
      expect(await sales(dataset)).toEqual({ closeRate: 0.5, salesCycle: 35, wonRevenue: 3500 });
      expect(dataset.tables[0]).toMatchObject({ records: 6, footerLines: 3, rejected: 0 });
      // The open deal's Close Date is only expected: it is not a closed_at.
      expect(
        await dataset.db.rows(
          `SELECT status, closed_at, kind, customer_id FROM opportunities WHERE opportunity_id = '0065g00000Q5AAA'`,
        ),
      ).toEqual([{ status: 'open', closed_at: null, kind: 'new_business', customer_id: 'Hooli' }]);
    });
  });

  it('hubspot: deals with internal and label stages, BOM and CRLF; customer contacts only', async () => {
    await withPreset('hubspot', async (dataset) => {
      // Won: 09-01 08:00 → 10-11 20:00 (40.5 days), 09-21 12:00 → 10-21 12:00 (30 days); 1000 + 2500.5.
      expect(await sales(dataset)).toEqual({ closeRate: 0.5, salesCycle: 35.25, wonRevenue: 3500.5 });
      expect(dataset.tables.map((t) => [t.table, t.records, t.leftOut, t.loaded])).toEqual([
        ['customers', 5, 2, 3],
        ['opportunities', 7, 0, 7],
      ]);
      expect(await kpiRow(dataset, 'new_customers', '2026-10')).toMatchObject({ value: 2 });
      expect(
        await dataset.db.rows(
          `SELECT name, acquisition_channel, region FROM customers ORDER BY customer_id LIMIT 1`,
        ),
      ).toEqual([{ name: 'Ada Byron', acquisition_channel: 'organic', region: 'United States' }]);
    });
  });

  it('pipedrive: won/lost/open status with won and lost times, quoted commas and a line break', async () => {
    await withPreset('pipedrive', async (dataset) => {
      // Won: 09-01 08:00 → 10-11 08:00 (40 days), 09-21 → 10-22 (31 days); 1000 + 2500.
      expect(await sales(dataset)).toEqual({ closeRate: 0.5, salesCycle: 35.5, wonRevenue: 3500 });
      expect(
        await dataset.db.rows(`SELECT "Title", loss_reason FROM opportunities WHERE opportunity_id = '3'`),
      ).toEqual([{ Title: 'Initech pilot\n(second try)', loss_reason: 'Price' }]);
    });
  });
});
