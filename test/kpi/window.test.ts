import { describe, expect, it } from 'vitest';
import { parseKpiFile } from '../../lib/kpi/definition.ts';
import { windowLabel, withWindow } from '../../lib/kpi/window.ts';
import type { KpiSeries } from '../../lib/render/content.ts';
import { buildTileView } from '../../lib/render/tile-view.ts';
import { testCatalog } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

const FILE = 'queries/customers/demo.sql';
const BODY = 'SELECT p.period_start, p.period_end, 1 AS value FROM periods($start, $end, $grain) p';
const file = (window: string) =>
  `-- title: Demo\n-- unit: count\n-- direction: up\n-- needs: orders.ordered_at\n-- window: ${window}\n${BODY}\n`;

describe('KPIs over a fixed trailing window', () => {
  it('read the window from the header, and refuse one they cannot label', () => {
    const parsed = parseKpiFile(FILE, file('12 months'));
    expect(parsed.ok && parsed.definition.window).toEqual({ months: 12 });
    const bad = parseKpiFile(FILE, file('a year'));
    expect(bad.ok ? [] : bad.errors).toEqual([
      expect.stringMatching(/:5: "window: a year" should read "window: 12 months"/),
    ]);
  });

  it('are the KPIs whose SQL looks back 12 months from the end', async () => {
    const { kpis } = await testCatalog();
    const windowed = kpis.filter((k) => k.window).map((k) => k.id);
    expect(windowed.sort()).toEqual(['clv', 'clv_margin', 'relationship_groups', 'repeat_purchase_rate']);
    for (const kpi of kpis.filter((k) => k.window)) expect(kpi.sql).toContain('INTERVAL 12 MONTH');
  });

  it('label rows with the window they computed, in the CLI table and JSON', async () => {
    const args = ['kpi', 'repeat_purchase_rate', '--from', '2025-01-01', '--to', '2026-07-01'];
    const table = await pulse(args);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/\n12 months to 2026-06-30 +\d/);
    expect(table.stdout).not.toContain('2025-01-01 to 2026-06-30');
    const json = JSON.parse((await pulse([...args, '--format', 'json'])).stdout) as Record<string, unknown>[];
    expect(json[0]).toMatchObject({
      period_start: '2025-01-01',
      period_end: '2026-07-01',
      window_start: '2025-07-01',
      window_end: '2026-07-01',
    });
    // The label is what was computed: the same value as asking for those 12 months.
    const year = JSON.parse(
      (
        await pulse([
          'kpi',
          'repeat_purchase_rate',
          '--from',
          '2025-07-01',
          '--to',
          '2026-07-01',
          '--format',
          'json',
        ])
      ).stdout,
    ) as Record<string, unknown>[];
    expect(json[0]?.value).toBe(year[0]?.value);
  });

  it('say the window on tiles, and only for windowed KPIs', async () => {
    const { kpis } = await testCatalog();
    const tile = (id: string) => {
      const kpi = kpis.find((k) => k.id === id);
      if (!kpi) throw new Error(`test: no KPI ${id}`);
      const [row] = withWindow(kpi, [{ id, period_start: '2026-10-01', period_end: '2026-11-01', value: 1 }]);
      const series = { kpi, available: true, current: row, history: [row] } as unknown as KpiSeries;
      return buildTileView(series, 'month', { currency: 'USD' });
    };
    expect(tile('clv').windowText).toBe('12 months to 2026-10-31');
    expect(tile('clv').sentence).toMatch(/^Customer lifetime value \$1\.00 \(12 months to 2026-10-31\)/);
    expect(tile('revenue').windowText).toBe('');
    expect(windowLabel({ window: { months: 1 } }, '2026-11-01')).toBe('1 month to 2026-10-31');
  });
});
