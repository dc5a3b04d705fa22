// A chart begins where the data does: months before the first order are no data, and drawn as
// empty bars or a gap they read as zero, or as a fall.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ComparedRow } from '../../lib/kpi/compare.ts';
import { addMonths, parsePeriod } from '../../lib/kpi/period.ts';
import type { KpiSeries } from '../../lib/render/content.ts';
import { renderEmail } from '../../lib/render/email-html.ts';
import { fromDataStart } from '../../lib/report/cells/data-start.ts';
import { trendChart } from '../../lib/report/cells/kpi-charts.ts';
import { explainChanges } from '../../lib/report/cells/what-changed.ts';
import { defineReport } from '../../lib/report/define.ts';
import { runReport } from '../../lib/report/run-report.ts';
import { TEST_NOW, testCatalog } from '../helpers.ts';

const NOTE = 'the data starts 1997-01-01 (the first ordered_at in orders)';
const row = (period_start: string, value: number | null, extra: Partial<ComparedRow> = {}) =>
  ({
    id: 'revenue',
    period_start,
    period_end: addMonths(period_start, 1),
    value,
    ...extra,
  }) as unknown as ComparedRow;
const beforeData = (month: string) =>
  row(month, null, { coverage: 'none', coverage_note: `no data for ${month}: ${NOTE}` });

describe('charts from where the data starts', () => {
  it('leave out the periods before the data, and say why', () => {
    const history = [
      beforeData('1996-11-01'),
      beforeData('1996-12-01'),
      row('1997-01-01', 5),
      row('1997-02-01', 7),
    ];
    expect(fromDataStart(history)).toEqual({
      rows: history.slice(2),
      note: `No earlier periods: ${NOTE}.`,
    });
    // Data from the first period: nothing to leave out. No data at all: kept for "No data".
    expect(fromDataStart(history.slice(2))).toEqual({ rows: history.slice(2) });
    expect(fromDataStart(history.slice(0, 2))).toEqual({ rows: history.slice(0, 2) });
  });

  it('a trend chart draws only the periods the data reaches', async () => {
    const kpi = (await testCatalog()).get('revenue');
    const series: KpiSeries = {
      kpi,
      available: true,
      current: row('1997-02-01', 7),
      history: [
        beforeData('1996-11-01'),
        beforeData('1996-12-01'),
        row('1997-01-01', 5),
        row('1997-02-01', 7),
      ],
    };
    const chart = trendChart(series, { format: { currency: 'USD' } });
    expect(chart?.table.rows.map((r) => r[0])).toEqual(['Jan 1997', 'Feb 1997']);
    expect(chart?.caption).toBe(`No earlier periods: ${NOTE}.`);
  });
});

/** Deals created from January 2026, closed from March (close rate has no data before), into `dir`. */
async function writeDeals(dir: string): Promise<void> {
  const lines = ['opportunity_id,created_at,closed_at,status'];
  for (let month = 3; month <= 10; month++) {
    const mm = String(month).padStart(2, '0');
    const won = month === 10 ? 9 : month % 2 === 0 ? 3 : 6;
    for (let i = 0; i < 10; i++)
      lines.push(
        `D${mm}-${i},2026-01-15,2026-${mm}-${String(i * 3 + 1).padStart(2, '0')},${i < won ? 'won' : 'lost'}`,
      );
  }
  lines.push('OPEN,2026-10-31,,open'); // the export runs to the end of October
  await writeFile(join(dir, 'opportunities.csv'), `${lines.join('\n')}\n`);
}

describe('the charts of what changed', () => {
  it('begin at the first close, not at the first deal created', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-data-start-'));
    await writeDeals(dir);
    const changes = defineReport({
      name: 'changes',
      title: 'Changes',
      grain: 'month',
      async build(r) {
        await explainChanges(r, [{ id: 'close_rate' }], { minimumZ: 0 });
      },
    });
    try {
      const { document } = await runReport(changes, {
        dataDir: dir,
        timeZone: 'UTC',
        now: TEST_NOW,
        period: parsePeriod('2026-10'),
      });
      const chart = document.blocks.find((b) => b.kind === 'chart');
      expect(chart?.kind === 'chart' && chart.chart.table.rows.map((row) => row[0])[0]).toBe('Mar 2026');
      expect(chart?.kind === 'chart' && chart.chart.caption).toBe(
        'No earlier periods: the data starts 2026-03-01 (the first closed_at in opportunities).',
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('gaps in a trend', () => {
  it('say why a period with a value is not drawn', async () => {
    const kpi = (await testCatalog()).get('pipeline_created');
    const partly = (month: string) =>
      row(month, 300, { known_share: 0.5, unknown_note: 'amount known for 1 of 2 deals created only' });
    const series = (history: ComparedRow[]): KpiSeries => ({
      kpi,
      available: true,
      current: history.at(-1),
      history,
    });
    const one = trendChart(series([row('2026-07-01', 5), partly('2026-08-01'), row('2026-09-01', 7)]), {
      format: { currency: 'USD' },
    });
    expect(one?.caption).toBe(
      'Not drawn: August 2026, amount known for 1 of 2 deals created only (under 90 % known).',
    );
    const two = trendChart(
      series([partly('2026-06-01'), row('2026-07-01', 5), partly('2026-08-01'), row('2026-09-01', 7)]),
      { format: { currency: 'USD' } },
    );
    expect(two?.caption).toBe(
      'Not drawn: 2 periods whose amounts are known for under 90 % of their rows (kpis.csv has their values).',
    );
    // Nothing left out: no caption.
    expect(
      trendChart(series([row('2026-08-01', 5), row('2026-09-01', 7)]), { format: { currency: 'USD' } })
        ?.caption,
    ).toBeUndefined();
  });
});

describe('what changed, beside the movers it names', () => {
  it('lists the KPIs it could not judge, with why, so a missing one does not read as unmoved', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-not-judged-'));
    await writeDeals(dir);
    // Customers from September only: new customers has one earlier month, no usual swing.
    const customers = ['customer_id,acquired_at'];
    for (let i = 0; i < 30; i++)
      customers.push(`C${i},2026-${i < 12 ? '09' : '10'}-${String((i % 28) + 1).padStart(2, '0')}`);
    await writeFile(join(dir, 'customers.csv'), `${customers.join('\n')}\n`);
    const changes = defineReport({
      name: 'changes',
      title: 'Changes',
      grain: 'month',
      async build(r) {
        await explainChanges(r, [{ id: 'close_rate' }, { id: 'new_customers' }], { minimumZ: 0, top: 1 });
      },
    });
    try {
      const { document } = await runReport(changes, {
        dataDir: dir,
        timeZone: 'UTC',
        now: TEST_NOW,
        period: parsePeriod('2026-10'),
      });
      const text = document.blocks.flatMap((b) => (b.kind === 'markdown' ? [b.text] : [])).join('\n');
      expect(text).toMatch(/^Close rate /);
      expect(text).toMatch(/^Not judged against a usual swing:\n\n- New customers: /m);
      expect(text).not.toContain('- Close rate');
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('says in the e-mail too when nothing could be judged, instead of leaving the section out', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-not-judged-mail-'));
    await writeDeals(dir);
    const young = defineReport({
      name: 'young',
      title: 'Young',
      grain: 'month',
      async build(r) {
        await explainChanges(r, [{ id: 'close_rate' }]);
      },
    });
    try {
      const { document } = await runReport(young, {
        dataDir: dir,
        timeZone: 'UTC',
        now: TEST_NOW,
        period: parsePeriod('2026-04'),
      });
      const email = await renderEmail(document, { grain: 'month' });
      expect(email.html).toContain('What changed and why');
      expect(email.text).toMatch(
        /What changed and why:\n- Too little history to judge which moves are unusual:\n {2}- Close rate: /,
      );
      expect(email.html).toMatch(/<p style="[^"]*">• Close rate: /);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('says there is nothing to compare when none of its KPIs is in the data, not that none moved', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-nothing-'));
    await writeFile(join(dir, 'orders.csv'), 'order_id,customer_id,ordered_at,amount\nO1,C1,2026-10-31,10\n');
    const report = defineReport({
      name: 'nothing',
      title: 'Nothing',
      grain: 'month',
      async build(r) {
        await explainChanges(r, [{ id: 'close_rate' }, { id: 'won_revenue' }]);
      },
    });
    try {
      const { document } = await runReport(report, {
        dataDir: dir,
        timeZone: 'UTC',
        now: TEST_NOW,
        period: parsePeriod('2026-10'),
      });
      expect(document.changes.map((c) => c.text)).toEqual([
        'Nothing to compare: Close rate and Won revenue are not in this data.',
      ]);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('an e-mail chart keeps its caption: why it starts where it does', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-lead-caption-'));
    await writeDeals(dir);
    const report = defineReport({
      name: 'lead',
      title: 'Lead',
      grain: 'month',
      async build(r) {
        r.leadChart(trendChart(await r.kpi('close_rate'), { format: r.format }));
      },
    });
    try {
      const { document } = await runReport(report, {
        dataDir: dir,
        timeZone: 'UTC',
        now: TEST_NOW,
        period: parsePeriod('2026-10'),
      });
      const email = await renderEmail(document, { grain: 'month' });
      expect(email.images.map((i) => i.file)).toEqual(['close_rate-trend.png']);
      expect(email.html).toContain(
        'No earlier periods: the data starts 2026-03-01 (the first closed_at in opportunities).</p>',
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
