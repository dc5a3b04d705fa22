// Why "what changed" could not judge a KPI names rejected rows when they are the reason, not
// "nothing to compare with" beside a tile that says "n/a (rows rejected then)".

import { describe, expect, it } from 'vitest';
import type { ComparedRow } from '../../lib/kpi/compare.ts';
import { addMonths } from '../../lib/kpi/period.ts';
import { judgement } from '../../lib/report/cells/unjudged.ts';

const row = (period_start: string, value: number, extra: Partial<ComparedRow> = {}): ComparedRow =>
  ({ period_start, period_end: addMonths(period_start, 1), value, ...extra }) as ComparedRow;
const rejected = 'without the 40 % of opportunities in September 2026 rejected';

describe('a KPI not judged for rejected rows', () => {
  it('says the period before is computed without them', () => {
    const history = [
      row('2026-07-01', 0.4),
      row('2026-08-01', 0.5),
      row('2026-09-01', 0.2, { rejected_note: rejected }),
      row('2026-10-01', 0.45),
    ];
    expect(judgement('Close rate', history, 'month').unjudged).toEqual({
      kind: 'nothing-before',
      note: `September 2026 is computed ${rejected}`,
    });
  });

  it('says its own period is computed without them', () => {
    const history = [row('2026-08-01', 0.5), row('2026-09-01', 0.2, { rejected_note: rejected })];
    expect(judgement('Close rate', history, 'month').unjudged).toEqual({
      kind: 'not-whole',
      note: `computed ${rejected}`,
    });
  });
});
