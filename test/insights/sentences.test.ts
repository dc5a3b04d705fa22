import { describe, expect, it } from 'vitest';
import { decomposeRatio, decomposeSum, type RatioDecomposition } from '../../lib/insights/decompose.ts';
import {
  changeSentence,
  formatAmount,
  formatEffect,
  type HeadlineKpi,
  ratioChangeSentence,
  sumChangeSentence,
  summarySentence,
} from '../../lib/insights/sentences.ts';
import { ISSUE_CURRENT, ISSUE_PREVIOUS, seg } from './examples.ts';

const closeRate = { title: 'Close rate', unit: 'ratio' } as const;
const deals = { rateNoun: 'win rates', items: 'deals' };

function decomposed(...args: Parameters<typeof decomposeRatio>): RatioDecomposition {
  const d = decomposeRatio(...args);
  if (!d) throw new Error('no decomposition');
  return d;
}

describe('change sentences', () => {
  it('writes the issue example (numbers in examples.ts)', () => {
    const d = decomposed(ISSUE_CURRENT, ISSUE_PREVIOUS);
    expect(ratioChangeSentence(d, closeRate, deals)).toBe(
      'Close rate fell 4.1 points to 24.3 %, −2.9 points from lower win rates in Enterprise and −1.2 points from a shift of deals toward SMB.',
    );
  });

  it('names no group’s own rate resting on fewer than 10 items in either period', () => {
    // R4 closed 1 deal of 1 after 0 of 1: its rate effect is large, and rests on one deal.
    // R1 (20 deals each month) fell from 10 won to 6.
    const d = decomposed([seg('R1', 6, 20), seg('R4', 1, 1)], [seg('R1', 10, 20), seg('R4', 0, 1)]);
    expect(d.segments.find((s) => s.key === 'R4')?.rate).toBeGreaterThan(0.04);
    const sentence = ratioChangeSentence(d, closeRate, deals);
    expect(sentence).not.toContain('in R4');
    expect(sentence).toContain('from lower win rates in R1');
  });

  it('is deterministic', () => {
    const once = ratioChangeSentence(decomposed(ISSUE_CURRENT, ISSUE_PREVIOUS), closeRate, deals);
    const again = ratioChangeSentence(decomposed(ISSUE_CURRENT, ISSUE_PREVIOUS), closeRate, deals);
    expect(again).toBe(once);
  });

  it('names mix effects toward and away from segments, largest first, at most maxEffects', () => {
    // Pure mix (see decompose.test.ts): mix A = −0.078 (deals away from A), mix B = −0.042
    // (toward B); ΔR = −0.12, R1 = 0.18.
    const d = decomposed([seg('A', 10, 20), seg('B', 8, 80)], [seg('A', 25, 50), seg('B', 5, 50)]);
    expect(ratioChangeSentence(d, closeRate, deals)).toBe(
      'Close rate fell 12.0 points to 18.0 %, −7.8 points from a shift of deals away from A and −4.2 points from a shift of deals toward B.',
    );
    expect(ratioChangeSentence(d, closeRate, deals, { maxEffects: 1 })).toBe(
      'Close rate fell 12.0 points to 18.0 %, −7.8 points from a shift of deals away from A.',
    );
    // −4.2 is 54 % of −7.8: a 60 % minimum share leaves it out.
    expect(ratioChangeSentence(d, closeRate, deals, { minShare: 0.6 })).toBe(
      'Close rate fell 12.0 points to 18.0 %, −7.8 points from a shift of deals away from A.',
    );
  });

  it('names a vanished segment as a shift away from it', () => {
    // Vanished segment B (see decompose.test.ts): +7.5 points, A +2.5 points; 20 % → 30 %.
    const d = decomposed([seg('A', 30, 100)], [seg('A', 30, 100), seg('B', 10, 100)]);
    expect(ratioChangeSentence(d, closeRate, deals)).toBe(
      'Close rate rose 10.0 points to 30.0 %, +7.5 points from a shift of deals away from B and +2.5 points from a shift of deals toward A.',
    );
  });

  it('uses the caller’s words and the KPI’s unit for averages', () => {
    // Sales cycle = days ÷ deals. Enterprise 10 deals, 400 → 500 days (40 → 50 days each);
    // SMB 30 deals, 600 → 600 days (20 each). Weights 0.25/0.75 unchanged: pure rate.
    // R0 = 1000/40 = 25.0, R1 = 1100/40 = 27.5; rate Enterprise = 0.25 × 10 = +2.5 days.
    const d = decomposed(
      [seg('Enterprise', 500, 10), seg('SMB', 600, 30)],
      [seg('Enterprise', 400, 10), seg('SMB', 600, 30)],
    );
    expect(
      ratioChangeSentence(
        d,
        { title: 'Sales cycle', unit: 'days' },
        { rateNoun: 'cycles', items: 'deals', higher: 'longer', lower: 'shorter' },
      ),
    ).toBe('Sales cycle rose 2.5 days to 27.5 days, +2.5 days from longer cycles in Enterprise.');
  });

  it('says a flat KPI is flat, and still names offsetting effects', () => {
    // A 0.5 → 0.6 on 50 deals (+5 points), B 0.5 → 0.4 on 50 deals (−5 points): R stays 0.5.
    const d = decomposed([seg('A', 30, 50), seg('B', 20, 50)], [seg('A', 25, 50), seg('B', 25, 50)]);
    expect(ratioChangeSentence(d, closeRate, deals)).toBe(
      'Close rate was flat at 50.0 %, +5.0 points from higher win rates in A and −5.0 points from lower win rates in B.',
    );
  });

  it('sums: percent change and each segment’s amount', () => {
    // 9.288M → 9.0M = −3.10 %: Enterprise −200,000, SMB −88,000.
    const d = decomposeSum(
      [
        { key: 'Enterprise', value: 6_000_000 },
        { key: 'SMB', value: 3_000_000 },
      ],
      [
        { key: 'Enterprise', value: 6_200_000 },
        { key: 'SMB', value: 3_088_000 },
      ],
    );
    expect(sumChangeSentence(d, { title: 'Revenue', unit: 'money' })).toBe(
      'Revenue fell 3.1 % to $9.0M, −$200,000 from Enterprise and −$88,000 from SMB.',
    );
    const leads = decomposeSum(
      [
        { key: 'Referral', value: 12 },
        { key: 'Web', value: 0 },
      ],
      [],
    );
    expect(sumChangeSentence(leads, { title: 'New leads', unit: 'count' })).toBe(
      'New leads rose from 0 to 12, +12 from Referral.',
    );
  });

  it('without a breakdown', () => {
    expect(changeSentence({ ...closeRate, value: 0.243, previous: 0.284 })).toBe(
      'Close rate fell 4.1 points to 24.3 %.',
    );
    expect(changeSentence({ title: 'NPS', unit: 'score', value: 37, previous: 35 })).toBe(
      'NPS rose 2.0 points to 37.0.',
    );
    expect(changeSentence({ title: 'CAC', unit: 'money', value: 1250, previous: 1000 })).toBe(
      'CAC rose 25.0 % to $1,250.',
    );
    expect(changeSentence({ ...closeRate, value: 0.2431, previous: 0.2432 })).toBe(
      'Close rate was flat at 24.3 %.',
    );
    expect(changeSentence({ ...closeRate, value: 0.25, previous: null })).toBe('Close rate was 25.0 %.');
    expect(changeSentence({ ...closeRate, value: null, previous: 0.2 })).toBe('Close rate is not available.');
  });

  it('formats amounts and signed effects', () => {
    expect(formatAmount(9_000_000, 'money')).toBe('$9.0M');
    expect(formatAmount(1_234_567_890, 'money', { currency: 'EUR' })).toBe('€1.2B');
    expect(formatAmount(240_512, 'money')).toBe('$240,512');
    expect(formatEffect(-0.029, 'ratio')).toBe('−2.9 points');
    expect(formatEffect(0.00004, 'ratio')).toBe('±0.0 points');
    expect(formatEffect(1.5, 'hours')).toBe('+1.5 h');
    expect(formatEffect(-3, 'count')).toBe('−3');
  });
});

describe('summary sentence', () => {
  const kpi = (k: Partial<HeadlineKpi> & Pick<HeadlineKpi, 'id' | 'title' | 'unit'>): HeadlineKpi => ({
    direction: 'up',
    value: null,
    previous: null,
    target: null,
    ...k,
  });
  const period = { period: 'October 2026', previousPeriod: 'September' };
  // Gaps to target, the good way up: NPS (37 − 36) / 36 = +2.8 %; churn (lower is better)
  // −(0.021 − 0.02) / 0.02 = −5 %; close rate (0.264 − 0.30) / 0.30 = −12 %; CSAT has no target.
  // Revenue 9.0M vs 9.288M: −3.1 %.
  const headline = [
    kpi({ id: 'revenue', title: 'Revenue', unit: 'money', value: 9_000_000, previous: 9_288_000 }),
    kpi({ id: 'close_rate', title: 'Close rate', unit: 'ratio', value: 0.264, previous: 0.28, target: 0.3 }),
    kpi({
      id: 'churn_rate',
      title: 'Churn rate',
      unit: 'ratio',
      direction: 'down',
      value: 0.021,
      target: 0.02,
    }),
    kpi({ id: 'nps', title: 'NPS', unit: 'score', value: 37, previous: 35, target: 36 }),
    kpi({ id: 'csat', title: 'CSAT', unit: 'score', value: 4.4 }),
  ];

  it('opens with the lead KPI and names the best and the worst against target', () => {
    expect(summarySentence(headline, period)).toBe(
      'Revenue was $9.0M in October 2026, 3.1 % below September; the best mover against target was NPS (37.0, target 36.0), the worst close rate (26.4 %, target 30.0 %).',
    );
    expect(summarySentence(headline, period)).toBe(summarySentence(headline, period));
  });

  it('another lead, a single target, no targets, no previous value', () => {
    expect(summarySentence(headline, { ...period, lead: 'close_rate' })).toMatch(
      /^Close rate was 26.4 % in October 2026, 1.6 points below September; /,
    );
    expect(summarySentence(headline.slice(0, 2), period)).toBe(
      'Revenue was $9.0M in October 2026, 3.1 % below September; against target, close rate was 26.4 % (target 30.0 %).',
    );
    expect(summarySentence([headline[0] as HeadlineKpi], period)).toBe(
      'Revenue was $9.0M in October 2026, 3.1 % below September.',
    );
    expect(
      summarySentence(
        [kpi({ id: 'r', title: 'Revenue', unit: 'money', value: 5000, previous: 5000 })],
        period,
      ),
    ).toBe('Revenue was $5,000 in October 2026, level with September.');
    expect(summarySentence([kpi({ id: 'r', title: 'Revenue', unit: 'money', value: 5000 })], period)).toBe(
      'Revenue was $5,000 in October 2026.',
    );
    expect(summarySentence([], period)).toBe('');
  });

  it('carries the caveat its tile shows: a part is never stated as the whole', () => {
    const known = 'amount known for 305 of 358 open deals only';
    const pipeline = kpi({ id: 'open_pipeline', title: 'Open pipeline', unit: 'money', value: 523_531 });
    expect(summarySentence([{ ...pipeline, caveat: known }], { ...period, period: 'December 2016' })).toBe(
      `Open pipeline was $523,531 in December 2016 (${known}).`,
    );
    const partial = 'partial: the data ends 2026-10-15';
    const revenue = { ...(headline[0] as HeadlineKpi), previous: null, caveat: partial };
    const close = { ...(headline[1] as HeadlineKpi), caveat: partial };
    expect(summarySentence([revenue, close, ...headline.slice(2)], period)).toBe(
      `Revenue was $9.0M in October 2026 (${partial}); the best mover against target was NPS (37.0, target 36.0), the worst close rate (26.4 %, target 30.0 %; ${partial}).`,
    );
    expect(summarySentence([revenue, close], period)).toBe(
      `Revenue was $9.0M in October 2026 (${partial}); against target, close rate was 26.4 % (target 30.0 %; ${partial}).`,
    );
    // Every amount blank: unknown, and why, not "not available".
    const blank = 'amount unknown for 3 of 3 open deals';
    expect(summarySentence([{ ...pipeline, value: null, caveat: blank }], period)).toBe(
      `Open pipeline is unknown for October 2026 (${blank}).`,
    );
  });
});
