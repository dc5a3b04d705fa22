import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDerivedRecipients } from '../../lib/schedule/recipients-from.ts';

// A schedule's `recipientsFrom` query names the contract's tables (customers, users). A vendor's
// export has them only through its mapping: the query ran over the folder unmapped, so on such an
// export it found no `customers` and the schedule could not run.
describe('recipients derived from a mapped export', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pulse-recipients-'));
    await mkdir(join(root, 'data'));
    await writeFile(
      join(root, 'data', 'Accounts_Export.csv'),
      'Account ID,Since,Territory\nA1,2025-01-10,EMEA\nA2,2025-03-02,APAC\nA3,2025-04-20,EMEA\n',
    );
    await writeFile(
      join(root, 'crm.json'),
      JSON.stringify({
        tables: {
          customers: {
            files: 'Accounts_Export.csv',
            rename: { 'Account ID': 'customer_id', Since: 'acquired_at', Territory: 'region' },
          },
        },
      }),
    );
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reads the export through the mapping, as the report does', async () => {
    const outcome = await readDerivedRecipients(
      {
        sql: `SELECT 'lead-' || lower(region) || '@example.com' AS address, region FROM customers
              WHERE acquired_at < $period_end GROUP BY region ORDER BY region`,
        params: {},
      },
      {
        dataDir: join(root, 'data'),
        data: { mapping: join(root, 'crm.json') },
        timeZone: 'UTC',
        now: '2026-11-15T12:00:00Z',
        period: { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
      },
    );
    expect(outcome.problems).toEqual([]);
    expect(outcome.recipients.map((r) => [r.address.address, r.params])).toEqual([
      ['lead-apac@example.com', { region: 'APAC' }],
      ['lead-emea@example.com', { region: 'EMEA' }],
    ]);
  });
});
