import { describe, expect, it } from 'vitest';
import { noMoversText } from '../../lib/insights/no-movers.ts';

// "No KPI moved more than it usually does" is said only when every KPI was judged; a KPI that
// could not be (no value, nothing before it, too short a history) is named with its reason.
describe('what changed, when no KPI is named', () => {
  it('says nothing was unusual only when every KPI was judged', () => {
    expect(noMoversText([{ title: 'Revenue' }, { title: 'Close rate' }], 'April 1997')).toBe(
      'No KPI moved more than it usually does.',
    );
  });

  it('says there is too little history, and how little, instead of "nothing unusual"', () => {
    const starts = 'the data starts 1997-01-01 (the first ordered_at in orders)';
    expect(
      noMoversText(
        [
          { title: 'Revenue', unjudged: { kind: 'short-history', earlier: 2, note: starts } },
          { title: 'Repeat rate', unjudged: { kind: 'short-history', earlier: 2, note: starts } },
          { title: 'New customers', unjudged: { kind: 'short-history', earlier: 1 } },
        ],
        'April 1997',
      ),
    ).toBe(
      [
        'Too little history to judge which moves are unusual:',
        '',
        `- Revenue and Repeat rate: only 2 earlier changes (a usual swing needs 3); ${starts}`,
        '- New customers: only 1 earlier change (a usual swing needs 3)',
      ].join('\n'),
    );
  });

  it('names what was judged and, apart, what could not be and why', () => {
    const starts = 'the data starts 2017-03-01 (the first closed_at in opportunities)';
    expect(
      noMoversText(
        [
          { title: 'Close rate', unjudged: { kind: 'nothing-before', note: starts } },
          { title: 'Won revenue', unjudged: { kind: 'no-value', note: starts } },
          {
            title: 'Open pipeline',
            unjudged: { kind: 'not-whole', note: 'amount known for 305 of 358 open deals only' },
          },
        ],
        'December 2016',
      ),
    ).toBe(
      [
        'No move could be judged against its usual swing:',
        '',
        `- Close rate: nothing to compare with, ${starts}`,
        `- Won revenue: no value for December 2016, ${starts}`,
        '- Open pipeline: not compared, amount known for 305 of 358 open deals only',
      ].join('\n'),
    );
    expect(
      noMoversText(
        [
          { title: 'Close rate' },
          { title: 'Won revenue' },
          { title: 'Churn rate', unjudged: { kind: 'short-history', earlier: 0 } },
        ],
        'September 2017',
      ),
    ).toBe(
      [
        'Close rate and Won revenue moved no more than they usually do; not judged:',
        '',
        '- Churn rate: no earlier changes (a usual swing needs 3)',
      ].join('\n'),
    );
  });
});
