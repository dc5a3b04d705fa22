import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { PulseError } from '../../lib/errors.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { openFixture, testCatalog } from '../helpers.ts';

// A seeded corpus of hostile strings: SQL breakouts, comments, stacked statements, file readers.
function injectionCorpus(count: number): string[] {
  const parts = [
    "'",
    '"',
    ';',
    '--',
    '/*',
    '*/',
    ' OR 1=1',
    "'; DROP TABLE opportunities; --",
    "') UNION SELECT * FROM read_text('/etc/passwd') --",
    '$start',
    '{by}',
    'COPY (SELECT 1) TO',
    "ATTACH '/tmp/x.db'",
    'INSTALL httpfs',
    '\\x00',
    '\u0000',
    '${',
    'segment',
    '../',
  ];
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed;
  };
  return Array.from({ length: count }, () => {
    const n = 1 + (next() % 4);
    return Array.from({ length: n }, () => parts[next() % parts.length]).join('');
  });
}

describe('hostile input never reaches SQL as code', () => {
  let dataset: Dataset;
  beforeAll(async () => {
    dataset = await openFixture('ops');
  });
  afterAll(() => dataset.close());

  it('every hostile --by is refused with the list of allowed breakdowns', async () => {
    const kpi = (await testCatalog()).get('pipeline_created');
    for (const by of injectionCorpus(250)) {
      const attempt = runKpi(dataset, kpi, {
        span: { start: '2026-10-05', end: '2026-10-12', grain: 'range' },
        by,
      });
      await expect(attempt).rejects.toThrow(
        /is not a breakdown of pipeline_created; allowed: owner, rep, product, channel, kind/,
      );
    }
  });

  it('every hostile parameter value is a plain value or a clear type error, and the data is intact', async () => {
    const catalog = await testCatalog();
    const stuck = catalog.get('stuck_deals');
    const sla = catalog.get('tickets_over_sla');
    for (const value of injectionCorpus(250)) {
      for (const kpi of [stuck, sla]) {
        const name = kpi.params[0]?.name ?? '';
        try {
          await runKpi(dataset, kpi, {
            span: { start: '2026-10-05', end: '2026-10-12', grain: 'range' },
            params: { [name]: value },
          });
          throw new Error(`accepted ${JSON.stringify(value)}`);
        } catch (error) {
          expect(error).toBeInstanceOf(PulseError);
          expect((error as Error).message).toMatch(new RegExp(`parameter ${name}: expected a number, got`));
        }
      }
    }
    const [row] = await dataset.db.rows('SELECT count(*) AS n FROM opportunities');
    expect(row).toEqual({ n: 7 });
  });

  it('a text parameter is bound as a value: quotes and statements stay text', async () => {
    for (const value of injectionCorpus(100)) {
      const rows = await dataset.db.rows('SELECT $v AS v, length($v) AS n', { v: value });
      expect(rows).toEqual([{ v: value, n: value.length }]);
    }
  });
});
