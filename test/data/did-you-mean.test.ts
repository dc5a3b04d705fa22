import { describe, expect, it } from 'vitest';
import { closest, editDistance, suggest, withinDistance } from '../../lib/data/did-you-mean.ts';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('close_rate', 'close_rate')).toBe(0);
    expect(editDistance('close_rte', 'close_rate')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
  });

  it('is symmetric', () => {
    expect(editDistance('flaw', 'lawn')).toBe(editDistance('lawn', 'flaw'));
  });
});

describe('withinDistance', () => {
  it('keeps the candidates within the limit, nearest first, ties in their order', () => {
    const ids = ['won_revenue', 'close_rate', 'close_rates', 'clv'];
    expect(withinDistance('close_rat', ids, 2)).toEqual(['close_rate', 'close_rates']);
    expect(withinDistance('close_ratess', ids, 2)).toEqual(['close_rates', 'close_rate']);
    expect(withinDistance('nps', ids, 2)).toEqual([]);
  });
});

describe('closest and suggest', () => {
  it('match case and punctuation first, then a small edit, then a prefix', () => {
    expect(closest('close date', ['Owner', 'Close-Date'])).toBe('Close-Date');
    expect(closest('opportunitys', ['customers', 'opportunities'])).toBe('opportunities');
    expect(closest('Close Date', ['Deal ID', 'Closed'])).toBe('Closed');
    expect(closest('zzz', ['Owner'])).toBeUndefined();
  });

  it('says it as a clause, or nothing', () => {
    expect(suggest('wher', ['where', 'rename'])).toBe('; did you mean "where"?');
    expect(suggest('zzz', ['where'])).toBe('');
  });
});
