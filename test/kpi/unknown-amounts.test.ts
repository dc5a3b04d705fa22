import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { compareRows } from '../../lib/kpi/compare.ts';
import type { KpiRow } from '../../lib/kpi/run.ts';
import { kpiRow, openFixture } from '../helpers.ts';

// test/fixtures/open-deals-blank-amount: as in many real exports, open deals have no amount.
//   D1 won 1000 (Sep), D2 lost 500 (Sep), D3, D4 open without amount (created Sep), D5 open without
//   amount (created Oct), D6 won 300 (Oct 31), D7 lost without amount (created Oct).
// Open at the end of September: D3, D4 (no amount). At the end of October: D3, D4, D5 (no amount).
describe('sums over a column left blank', () => {
  let dataset: Dataset;
  beforeAll(async () => {
    dataset = await openFixture('open-deals-blank-amount');
  });
  afterAll(() => dataset.close());

  it('are unknown, never 0, when every amount is blank', async () => {
    expect(await kpiRow(dataset, 'open_pipeline', '2026-10')).toMatchObject({
      value: null,
      deals: 3,
      value_known: 0,
      value_of: 3,
      known_share: 0,
      unknown_note: 'amount unknown for 3 of 3 open deals',
    });
  });

  it('are not compared, saying whether some amounts are known', async () => {
    const september = await kpiRow(dataset, 'open_pipeline', '2026-09');
    const october = await kpiRow(dataset, 'open_pipeline', '2026-10');
    const notes = (rows: KpiRow[]) =>
      compareRows(
        rows,
        { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
        { direction: 'up', targets: [] },
      ).map((r) => [r.previous_value, r.comparison_note]);
    // None known: "amounts unknown", not "partly".
    expect(notes([september, october])).toEqual([[null, 'amounts unknown']]);
    expect(notes([september, { ...october, value: 10, known_share: 0.5 }])).toEqual([
      [null, 'amounts partly unknown'],
    ]);
    expect(
      notes([
        { ...september, value: 5, known_share: 0.5 },
        { ...october, value: 10, known_share: 1 },
      ]),
    ).toEqual([[null, 'amounts partly unknown then']]);
    expect(notes([september, { ...october, value: 10, known_share: 1 }])).toEqual([
      [null, 'amounts unknown then'],
    ]);
  });

  it('give the known part with the share known when some amounts are blank', async () => {
    // Created in October: D5 (blank), D6 300, D7 (blank) → 300, known for 1 of 3.
    expect(await kpiRow(dataset, 'pipeline_created', '2026-10')).toMatchObject({
      value: 300,
      known_share: 1 / 3,
      unknown_note: 'amount known for 1 of 3 deals created only',
    });
  });

  it('stay a plain number when every amount is known', async () => {
    // Created in September: D1 1000, D2 500, D3 and D4 blank → known for 2 of 4.
    const september = await kpiRow(dataset, 'pipeline_created', '2026-09');
    expect(september).toMatchObject({ value: 1500, known_share: 0.5 });
    const won = await kpiRow(dataset, 'won_revenue', '2026-10');
    expect(won).toMatchObject({ value: 300 });
    expect(won.known_share).toBeUndefined();
  });
});
