import { describe, expect, it } from 'vitest';
import { emptySectionNeeds } from '../../lib/report/context.ts';

describe('an empty section says once what would fill it', () => {
  it('merges needs given as table.column and as already grouped text, each table once', () => {
    expect(
      emptySectionNeeds([
        { kind: 'unavailable', title: 'Tiles', missing: ['customers (acquired_at, churned_at)'] },
        { kind: 'unavailable', title: 'Churn', missing: ['customers.acquired_at', 'customers.churned_at'] },
        { kind: 'unavailable', title: 'NPS', missing: ['surveys.score', 'customers.segment'] },
      ]),
    ).toEqual(['customers (acquired_at, churned_at, segment)', 'surveys (score)']);
  });

  it('is undefined when any block shows something', () => {
    expect(
      emptySectionNeeds([
        { kind: 'unavailable', title: 'Churn', missing: ['customers.churned_at'] },
        { kind: 'markdown', text: 'Something to read.' },
      ]),
    ).toBeUndefined();
  });
});
