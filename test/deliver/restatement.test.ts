import { describe, expect, it } from 'vitest';
import { findRestatements } from '../../lib/deliver/restatement.ts';
import type { Unit } from '../../lib/kpi/definition.ts';

const KPIS: Record<string, { title: string; unit: Unit }> = {
  close_rate: { title: 'Close rate', unit: 'ratio' },
  revenue: { title: 'Revenue', unit: 'money' },
  nps: { title: 'NPS', unit: 'score' },
};
const options = { periodStart: '2026-09-01', periodName: 'September', describe: (id: string) => KPIS[id] };

describe('restated periods', () => {
  it('says which number changed since it was sent, in the KPI unit', () => {
    const sent = [
      { id: 'close_rate', period_start: '2026-09-01', value: 0.312 },
      { id: 'revenue', period_start: '2026-09-01', value: 9_000_000 },
      { id: 'close_rate', period_start: '2026-08-01', value: 0.25 },
    ];
    const now = [
      { id: 'close_rate', period_start: '2026-09-01', value: 0.298 },
      { id: 'revenue', period_start: '2026-09-01', value: 9_000_001 }, // rounding: not a restatement
      { id: 'close_rate', period_start: '2026-08-01', value: 0.2 }, // not the period compared
    ];
    expect(findRestatements(sent, now, options)).toEqual([
      {
        kpi: 'close_rate',
        periodStart: '2026-09-01',
        breakdown: '',
        sentValue: 0.312,
        currentValue: 0.298,
        sentence: 'September close rate was 31.2 % when sent, now 29.8 % after late data',
      },
    ]);
  });

  it('tells breakdown rows apart and keeps acronyms', () => {
    const sent = [
      { id: 'nps', period_start: '2026-09-01', segment: 'SMB', value: 40 },
      { id: 'nps', period_start: '2026-09-01', segment: 'Enterprise', value: 30 },
    ];
    const now = [
      { id: 'nps', period_start: '2026-09-01', segment: 'Enterprise', value: 30 },
      { id: 'nps', period_start: '2026-09-01', segment: 'SMB', value: 35 },
    ];
    expect(findRestatements(sent, now, options).map((r) => r.sentence)).toEqual([
      'September NPS (segment=SMB) was 40.0 when sent, now 35.0 after late data',
    ]);
  });

  it('ignores rows that are gone, unknown KPIs and missing values', () => {
    const sent = [
      { id: 'gone', period_start: '2026-09-01', value: 1 },
      { id: 'revenue', period_start: '2026-09-01', value: null },
      { id: 'close_rate', period_start: '2026-09-01', value: 0.3 },
    ];
    expect(findRestatements(sent, [{ id: 'gone', period_start: '2026-09-01', value: 2 }], options)).toEqual(
      [],
    );
  });
});
