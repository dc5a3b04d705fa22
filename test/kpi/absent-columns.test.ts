import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { absentColumns } from '../../lib/kpi/absent-columns.ts';
import { FIXTURES, testCatalog } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

describe('columns an export does not have', () => {
  it('name the KPIs they make unavailable, leaving out KPIs that wait for a whole table', async () => {
    // A deals export without closed_at or amount, and no other table.
    const has = (table: string, column?: string) =>
      table === 'opportunities' && !['closed_at', 'amount'].includes(column ?? '');
    const absent = absentColumns({ has }, await testCatalog());
    expect(absent.map((a) => a.need)).toEqual(['opportunities.amount', 'opportunities.closed_at']);
    const closed = absent.find((a) => a.need === 'opportunities.closed_at')?.kpis ?? [];
    expect(closed).toEqual(expect.arrayContaining(['close_rate', 'sales_cycle_days', 'won_revenue']));
    // Upsell rate also needs customers: the absent table is what it waits for first.
    expect(absent.flatMap((a) => a.kpis)).not.toContain('upsell_rate');
    expect(absentColumns({ has: () => true }, await testCatalog())).toEqual([]);
  });

  it('are listed by pulse check, with the fix, and in its JSON', async () => {
    const data = join(FIXTURES, 'sales-minimal');
    const text = await pulse(['check', '--data', data], { PULSE_CACHE: 'off' });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      'columns the export does not have (the KPIs that need them say "not available"):',
    );
    expect(text.stdout).toMatch(
      /\n {2}opportunities\.amount: avg_deal_size, open_pipeline, pipeline_created, won_revenue\n/,
    );
    // A hint, not a finding: nothing says the export has such a column.
    expect(text.stdout).toContain(
      'if the export has one under another name, "rename" it in the mapping (mappings/README.md)',
    );
    // Customers derived from orders can hold no more: a rename cannot help there.
    const derived = await pulse(
      ['check', '--data', join(FIXTURES, 'mapping-cdnow'), '--mapping', join(FIXTURES, 'mapping-cdnow.json')],
      { PULSE_CACHE: 'off' },
    );
    expect(derived.stdout).toMatch(/\n {2}customers\.churned_at: active_customers, churn_rate/);
    expect(derived.stdout).toContain(
      'customers is derived from orders, which holds no more: a customers file gives the others',
    );
    // Orders grouped from lines: a rename cannot reach a line's column, an aggregate does.
    const grouped = await pulse(
      [
        'check',
        '--data',
        join(FIXTURES, 'mapping-order-lines'),
        '--mapping',
        join(FIXTURES, 'mapping-order-lines.json'),
      ],
      { PULSE_CACHE: 'off' },
    );
    expect(grouped.stdout).toMatch(/\n {2}orders\.cost: gross_margin/);
    expect(grouped.stdout).toContain(
      'orders is grouped from lines (the mapping\'s "group"): add a column to its "aggregate", e.g. {"cost":"sum(\\"Line Cost\\"::DECIMAL(38,6))"}',
    );
    expect(grouped.stdout).not.toContain('"rename" it in the mapping');
    const json = await pulse(['check', '--data', data, '--format', 'json'], { PULSE_CACHE: 'off' });
    expect(JSON.parse(json.stdout).absentColumns).toContainEqual({
      need: 'leads.qualified_at',
      kpis: ['lead_velocity_rate'],
    });
  });
});
