// A chart of a list the data does not cover for the report's period says so, with where the data
// starts: not "No tickets resolved in this period", nor customers grouped at $0.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as api from '../../lib/index.ts';
import { addDays, parsePeriod } from '../../lib/kpi/period.ts';
import type { Block } from '../../lib/render/content.ts';
import { runReport } from '../../lib/report/run-report.ts';
import { TEST_NOW } from '../helpers.ts';

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

const lists = api.defineReport({
  name: 'lists',
  title: 'Lists',
  grain: 'month',
  async build(r) {
    await api.resolutionDistribution(r);
    await api.relationshipGroups(r);
  },
});

describe('list charts before their data', () => {
  it('say no data and where the data starts', async () => {
    // Customers from 2025; orders from May 2026; tickets from June 2026. The report is for March.
    const dir = await mkdtemp(join(tmpdir(), 'pulse-list-no-data-'));
    folders.push(dir);
    const customers = days('2025-01-01', '2025-01-20').map((d, i) => `C${i},${d},`);
    const orders = days('2026-05-01', '2026-10-31').map((d, i) => `O${i},C${i % 20},${d}T10:00:00,100,40`);
    const tickets = days('2026-06-01', '2026-10-31').map(
      (d, i) => `T${i},C${i % 20},${d}T09:00:00,${d}T12:00:00`,
    );
    await writeFile(
      join(dir, 'customers.csv'),
      ['customer_id,acquired_at,churned_at', ...customers].join('\n'),
    );
    await writeFile(
      join(dir, 'orders.csv'),
      ['order_id,customer_id,ordered_at,amount,cost', ...orders].join('\n'),
    );
    await writeFile(
      join(dir, 'tickets.csv'),
      ['ticket_id,customer_id,created_at,resolved_at', ...tickets].join('\n'),
    );
    const { document } = await runReport(lists, {
      dataDir: dir,
      timeZone: 'UTC',
      now: TEST_NOW,
      period: parsePeriod('2026-03'),
    });
    const said = (document.blocks as Block[]).map((b) =>
      b.kind === 'unknown' ? `${b.title}: ${b.reason}` : b.kind,
    );
    expect(said).toEqual([
      'Resolution time: no data for March 2026: the data starts 2026-06-01 (the first resolved_at in tickets)',
      'Relationship groups: no data for March 2026: the data starts 2026-05-01 (the first ordered_at in orders)',
    ]);
    // October: groups named for 12 months of orders, from six: said under the chart and the table.
    const october = await runReport(lists, {
      dataDir: dir,
      timeZone: 'UTC',
      now: TEST_NOW,
      period: parsePeriod('2026-10'),
    });
    const captions = (october.document.blocks as Block[]).flatMap((b) =>
      b.kind === 'chart' && b.chart.id === 'relationship-groups'
        ? [b.chart.caption]
        : b.kind === 'table'
          ? [b.caption]
          : [],
    );
    const partial = 'the 12-month window starts before the data, which starts 2026-05-01';
    expect(captions).toEqual([
      `Partial: ${partial}.`,
      `Over the 12 months to 2026-10-31 (partial: ${partial}).`,
    ]);
  }, 60_000);
});
