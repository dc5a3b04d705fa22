// Every column referring to one parent is gated in one query (lib/data/reference-gates.ts): each
// column must still be told its own missing values, and only those. Four columns refer to
// customers here, the first and the third with a missing key, so counts given to the wrong column
// (in reverse, or one off) leave one of them unseen.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../lib/data/dataset.ts';
import { TEST_NOW } from '../helpers.ts';

describe('reference checks of several tables into one parent', () => {
  let data: string;
  beforeAll(async () => {
    data = await mkdtemp(join(tmpdir(), 'pulse-gates-'));
    const write = (file: string, lines: string[]) => writeFile(join(data, file), `${lines.join('\n')}\n`);
    await write('customers.csv', ['customer_id,acquired_at', 'C1,2026-01-01', 'C2,2026-01-02']);
    await write('orders.csv', [
      'order_id,customer_id,ordered_at,amount',
      'O1,C1,2026-10-01,1',
      'O2,C9,2026-10-02,2',
    ]);
    await write('tickets.csv', ['ticket_id,customer_id,created_at', 'T1,C1,2026-10-01', 'T2,C7,2026-10-02']);
    await write('surveys.csv', [
      'response_id,customer_id,ticket_id,answered_at,kind,score',
      'S1,C1,T1,2026-10-03,nps,9',
      'S2,C2,T7,2026-10-03,nps,7',
      'S3,C2,T2,2026-10-04,nps,10',
    ]);
    await write('subscriptions.csv', ['subscription_id,customer_id,started_at,mrr', 'B1,C2,2026-01-01,10']);
  });
  afterAll(async () => {
    await rm(data, { recursive: true, force: true });
  });

  it('tell each column its own missing keys', async () => {
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW, cacheDir: null });
    try {
      const missing = dataset.problems
        .filter((p) => p.rule === 'foreign_key')
        .map((p) => [p.table, p.column, p.count, p.examples.map((e) => e.value)]);
      expect(missing.sort()).toEqual([
        ['orders', 'customer_id', 1, ['C9']],
        ['surveys', 'ticket_id', 1, ['T7']],
        ['tickets', 'customer_id', 1, ['C7']],
      ]);
    } finally {
      dataset.close();
    }
  });
});
