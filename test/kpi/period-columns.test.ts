// A KPI's history starts where the column its periods count by starts: the sales cycle counts
// deals by the day they closed, so the months before the first close are "no data" (the deals
// had not begun closing in the export), not a blank value with no reason.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { periodColumns } from '../../lib/kpi/coverage.ts';
import { addDays } from '../../lib/kpi/period.ts';
import { pulse } from '../support/cli.ts';

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((f) => rm(f, { recursive: true, force: true }))));

describe('the columns a KPI counts its periods by', () => {
  it('are those compared with period_start, not those in comments or text', () => {
    expect(periodColumns('SELECT 1 FROM periods(1,2,3) p JOIN o ON o.closed_at >= p.period_start')).toEqual(
      new Set(['closed_at']),
    );
    expect(periodColumns('SELECT * FROM t WHERE "Made At">=period_start AND x < period_end')).toEqual(
      new Set(['made at']),
    );
    expect(
      periodColumns(`-- o.created_at >= p.period_start
        SELECT 'a.b >= p.period_start' FROM t WHERE t.resolved_at >= p.period_end`),
    ).toEqual(new Set());
  });

  it('start the sales cycle with the first close, with the reason, not a bare blank', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-period-columns-'));
    folders.push(dir);
    // Deals created every day from May; the first ones closed (won) in August, 60 days later.
    const deals: string[] = [];
    for (let d = '2026-05-01', i = 0; d <= '2026-10-31'; d = addDays(d, 1), i++) {
      const closed = addDays(d, 92);
      deals.push(closed <= '2026-10-31' ? `D${i},${d},${closed},won,100` : `D${i},${d},,open,100`);
    }
    await writeFile(
      join(dir, 'opportunities.csv'),
      ['opportunity_id,created_at,closed_at,status,amount', ...deals].join('\n'),
    );
    const run = await pulse(
      [
        'kpi',
        'sales_cycle_days',
        '--data',
        dir,
        '--grain',
        'month',
        '--from',
        '2026-06-01',
        '--to',
        '2026-11-01',
      ],
      { PULSE_NOW: '2026-11-02T08:00:00Z', PULSE_CACHE: 'off' },
    );
    expect(run.code, run.stderr).toBe(0);
    const json = await pulse(
      [
        'kpi',
        'sales_cycle_days',
        '--data',
        dir,
        '--grain',
        'month',
        '--from',
        '2026-06-01',
        '--to',
        '2026-11-01',
        '--format',
        'json',
      ],
      { PULSE_NOW: '2026-11-02T08:00:00Z', PULSE_CACHE: 'off' },
    );
    const rows = JSON.parse(json.stdout) as Record<string, unknown>[];
    const [june, july, august, september] = rows;
    for (const row of [june, july]) {
      expect(row?.value).toBeNull();
      expect(row?.coverage).toBe('none');
      expect(row?.coverage_note).toMatch(
        /the data starts 2026-08-01 \(the first closed_at in opportunities\)/,
      );
    }
    // August is whole from its first day (the first close is on it); September is whole.
    expect(august?.value).toBe(92);
    expect(september?.value).toBe(92);
    expect(september?.coverage).toBeUndefined();
    expect(run.stdout).toMatch(/2026-07 .*no data/);
  });
});
