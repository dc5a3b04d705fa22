import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../../lib/data/dataset.ts';
import { buildKpiFile, parseNewKpi, saveKpiFile } from '../../lib/dev/save-kpi.ts';
import { readCatalog } from '../../lib/kpi/catalog.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { runKpi } from '../../lib/kpi/run.ts';
import { openFixture, testCatalog } from '../helpers.ts';

const HEADER = `-- title: Won deals
-- unit: count
-- direction: up

-- a plain comment inside the header
`;

describe('KPI files written and run from the dev tools', () => {
  let dataset: Dataset;
  let dir: string;
  beforeAll(async () => {
    dataset = await openFixture('close-rate');
    dir = await mkdtemp(join(tmpdir(), 'pulse-kpi-files-'));
  });
  afterAll(async () => {
    dataset.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("reports DuckDB's error at the line of the KPI file, not of the wrapped query", async () => {
    const queries = join(dir, 'queries');
    await mkdir(join(queries, 'sales'), { recursive: true });
    const body = [
      'SELECT p.period_start, p.period_end,',
      "       count(*) FILTER (o.status = 'won') AS value",
      'FROM periods($start, $end, $grain) p',
      'LEFT JOIN opportunities o',
      '  ON o.closed_at >= p.period_start AND o.nope < p.period_end',
      'GROUP BY ALL',
    ].join('\n');
    const file = join(queries, 'sales', 'won_deals.sql');
    await writeFile(file, `${HEADER}${body}\n`);
    const kpi = (await readCatalog(queries)).get('won_deals');
    const error = await runKpi(dataset, kpi, { span: parsePeriod('2026-10') }).catch((e: Error) => e);
    // Header (5 lines) + the fifth line of the body.
    expect((error as Error).message).toMatch(
      new RegExp(`^${file}:10: Binder Error: .*"nope"[\\s\\S]*\\nLINE 10: .*o\\.nope`),
    );
    // DuckDB's caret still points into the quoted line.
    const lines = (error as Error).message.split('\n');
    const at = lines.findIndex((l) => l.startsWith('LINE 10:'));
    const caret = lines[at + 1]?.indexOf('^') ?? -1;
    expect(lines[at]?.slice(caret, caret + 6)).toBe('o.nope');
  });

  it('claims no line when the file changed since the catalog read it', async () => {
    const queries = join(dir, 'queries2');
    await mkdir(join(queries, 'sales'), { recursive: true });
    const file = join(queries, 'sales', 'won_deals.sql');
    await writeFile(
      file,
      `${HEADER}SELECT p.period_start, p.period_end, nope AS value\nFROM periods($start, $end, $grain) p\n`,
    );
    const kpi = (await readCatalog(queries)).get('won_deals');
    await writeFile(file, `${HEADER}\n\nSELECT 1\n`);
    const error = await runKpi(dataset, kpi, { span: parsePeriod('2026-10') }).catch((e: Error) => e);
    expect((error as Error).message).toMatch(new RegExp(`^${file}: Binder Error`));
  });

  it('checks the form of a new KPI field by field and reports every mistake', () => {
    const parsed = parseNewKpi({
      area: 'Sales',
      id: 'won-deals',
      title: 'a\nb',
      unit: 'pieces',
      direction: 'up',
    });
    expect(parsed).toEqual({
      ok: false,
      errors: [
        'title must be one line',
        'sql is missing',
        'area "Sales" must match ^[a-z0-9_-]{1,64}$',
        'id "won-deals" must match ^[a-z0-9_]{1,64}$',
        'unit "pieces" is not one of ratio, money, count, days, hours, months, score, table',
      ],
    });
  });

  it('writes queries/<area>/<id>.sql with a header the catalog reads, and never overwrites', async () => {
    const queries = join(dir, 'queries3');
    const input = {
      area: 'pipeline',
      id: 'won_deals',
      title: 'Won deals',
      description: 'Deals won in the period.',
      unit: 'count',
      direction: 'up',
      sql: "SELECT p.period_start, p.period_end, count(o.opportunity_id) AS value\nFROM periods($start, $end, $grain) p\nLEFT JOIN opportunities o ON o.closed_at >= p.period_start AND o.closed_at < p.period_end AND o.status = 'won'\nGROUP BY ALL;",
    };
    const parsed = parseNewKpi(input);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const span = parsePeriod('2026-10');
    const options = {
      catalog: await testCatalog(),
      today: '2026-11-15',
      trial: async (definition: Parameters<typeof runKpi>[1]) => {
        await runKpi(dataset, definition, { span });
      },
    };
    const saved = await saveKpiFile(queries, parsed.value, options);
    expect(saved).toMatchObject({ ok: true, value: { file: 'queries/pipeline/won_deals.sql' } });
    const text = await readFile(join(queries, 'pipeline', 'won_deals.sql'), 'utf8');
    expect(text).toBe(buildKpiFile(parsed.value, '2026-11-15'));
    expect(text).toMatch(/^-- title: Won deals\n-- description: Deals won in the period\.\n-- unit: count\n/);
    const kpi = (await readCatalog(queries)).get('won_deals');
    const [row] = (await runKpi(dataset, kpi, { span })).rows;
    expect(row?.value).toBe(1);

    const again = await saveKpiFile(queries, { ...parsed.value, title: 'Other' }, options);
    expect(again).toEqual({
      ok: false,
      errors: ['queries/pipeline/won_deals.sql exists already; pick another id (nothing was overwritten)'],
    });
    expect(await readFile(join(queries, 'pipeline', 'won_deals.sql'), 'utf8')).toBe(text);
  });

  it('refuses an id the catalog has, SQL that does not parse as a KPI, and SQL that does not run', async () => {
    const queries = join(dir, 'queries4');
    const base = {
      area: 'sales',
      title: 'T',
      description: '',
      unit: 'count' as const,
      direction: 'up' as const,
    };
    const options = {
      catalog: await testCatalog(),
      today: '2026-11-15',
      trial: async (definition: Parameters<typeof runKpi>[1]) => {
        await runKpi(dataset, definition, { span: parsePeriod('2026-10') });
      },
    };
    const taken = await saveKpiFile(queries, { ...base, id: 'close_rate', sql: 'SELECT 1' }, options);
    expect(taken).toEqual({
      ok: false,
      errors: ['KPI id close_rate is taken by queries/sales/close_rate.sql; ids must be unique'],
    });
    const undeclared = await saveKpiFile(queries, { ...base, id: 'x_rate', sql: 'SELECT $region' }, options);
    expect(undeclared.ok).toBe(false);
    expect(!undeclared.ok && undeclared.errors[0]).toMatch(/\$region is used but not declared/);
    const broken = await saveKpiFile(
      queries,
      { ...base, id: 'y_rate', sql: 'SELECT nope FROM customers' },
      options,
    );
    expect(!broken.ok && broken.errors[0]).toMatch(/^queries\/sales\/y_rate\.sql does not run: .*nope/);
  });
});
