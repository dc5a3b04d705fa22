import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../lib/charts/render.ts';
import { buildAutoChart } from '../../lib/dev/auto-chart.ts';

describe('the scratchpad picks a chart from the column types', () => {
  it('draws a line over a date column that varies, one line per category', async () => {
    const columns = [
      { name: 'period_start', type: 'VARCHAR' },
      { name: 'channel', type: 'VARCHAR' },
      { name: 'value', type: 'DOUBLE' },
    ];
    const rows = ['2026-08-01', '2026-09-01', '2026-10-01'].flatMap((period, i) => [
      { period_start: period, channel: 'web', value: 10 + i },
      { period_start: period, channel: 'partner', value: 5 + i },
    ]);
    const chart = buildAutoChart(columns, rows);
    expect(chart?.spec).toMatchObject({ mark: { type: 'line' }, encoding: { color: { field: 's' } } });
    expect(chart?.title).toBe('value by period_start and channel');
    expect(chart?.table.rows[0]).toEqual(['2026-08-01', 'web', '10']);
    expect(await renderSvg(chart as NonNullable<typeof chart>)).toMatch(/^<svg/);
  });

  it('draws bars by a text column, and nothing without a number or with one row', () => {
    const columns = [
      { name: 'segment', type: 'VARCHAR' },
      { name: 'customers', type: 'BIGINT' },
    ];
    const rows = [
      { segment: 'enterprise', customers: 12 },
      { segment: 'smb', customers: 40 },
    ];
    expect(buildAutoChart(columns, rows)?.spec).toMatchObject({ mark: { type: 'bar' } });
    expect(buildAutoChart([{ name: 'segment', type: 'VARCHAR' }], [{ segment: 'a' }, { segment: 'b' }])).toBe(
      undefined,
    );
    expect(buildAutoChart(columns, rows.slice(0, 1))).toBe(undefined);
  });
});
