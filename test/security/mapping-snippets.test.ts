import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pulse } from '../support/cli.ts';

// A mapping's SQL (`where`, `derive`, a group's aggregates) runs while the data is loaded, before
// the connection is locked to the data folder. It is judged as one expression by DuckDB's parse
// of `SELECT (snippet) AS x`; a snippet that ends in a comment turns the rest of that statement
// into clauses (HAVING, ORDER BY, QUALIFY, LIMIT) that the same text, put in a WHERE, still runs.
let root: string;
let data: string;
let secret: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pulse-snippets-'));
  data = join(root, 'data');
  await mkdir(data);
  secret = join(root, 'secret.txt');
  await writeFile(secret, 'SMTP-PASSWORD-LEAKED\n');
  await writeFile(
    join(data, 'deals.csv'),
    'Deal,Amount,Created,Closed,Stage\n1,100,2026-09-01,2026-10-02,won\n2,200,2026-09-03,2026-10-05,lost\n',
  );
});
afterAll(() => rm(root, { recursive: true, force: true }));

// The file's text in a conversion error: "Could not convert string 'SMTP-PASSWORD-LEAKED'".
const read = '(SELECT content::INT FROM read_text($SECRET))';
const SNIPPETS: [string, string][] = [
  ['HAVING', `true) GROUP BY ALL HAVING ${read} > 0 --`],
  ['ORDER BY', `true) ORDER BY ${read} --`],
  ['QUALIFY', `true) QUALIFY ${read} > 0 --`],
  ['LIMIT', `true) LIMIT ${read} --`],
  ['a WHERE of its own', `true) WHERE ${read} > 0 --`],
  ['a subquery anywhere', `true) AND ${read} > 0 AND (true`],
];

async function check(table: Record<string, unknown>) {
  const mapping = join(root, 'attack.json');
  const opportunities = {
    files: 'deals.csv',
    rename: { Deal: 'opportunity_id', Amount: 'amount', Created: 'created_at', Closed: 'closed_at' },
    ...table,
  };
  await writeFile(mapping, JSON.stringify({ tables: { opportunities } }));
  return pulse(['check', '--data', data, '--mapping', mapping], { PULSE_CACHE: 'off' });
}

describe("a mapping's SQL reads only the export's own columns", () => {
  for (const [what, attack] of SNIPPETS) {
    const snippet = () => attack.replace('$SECRET', `'${secret}'`);
    it(`a where with ${what} reads no file outside the data folder`, async () => {
      const run = await check({ where: snippet(), rename: { Deal: 'opportunity_id', Stage: 'status' } });
      expect(`${run.stdout}${run.stderr}`).not.toContain('SMTP-PASSWORD-LEAKED');
      expect(run.code).toBe(2);
      expect(run.stdout).toContain('tables.opportunities.where');
    });

    it(`a group's where with ${what} reads no file outside the data folder`, async () => {
      const run = await check({
        where: snippet(),
        group: { by: 'Deal', aggregate: { amount: 'sum("Amount"::DECIMAL(38,6))' } },
        rename: { Deal: 'opportunity_id' },
      });
      expect(`${run.stdout}${run.stderr}`).not.toContain('SMTP-PASSWORD-LEAKED');
      expect(run.code).toBe(2);
    });
  }

  it('a derived column or an aggregate that ends in a comment is a mistake of the mapping', async () => {
    for (const table of [
      { derive: { owner_id: `"Stage" --` } },
      {
        group: { by: 'Deal', aggregate: { amount: 'sum("Amount"::DECIMAL(38,6)) --' } },
        rename: { Deal: 'opportunity_id' },
      },
    ]) {
      const run = await check(table);
      expect(run.code).toBe(2);
      expect(run.stdout).toMatch(/tables\.opportunities\.(derive\.owner_id|group\.aggregate\.amount)/);
    }
  });

  it('an ordinary where still reads its rows', async () => {
    const run = await check({
      where: `"Stage" <> 'lost'`,
      rename: { Deal: 'opportunity_id', Stage: 'status' },
    });
    expect(run.stdout).toMatch(/opportunities\s+2\s+0/);
    expect(run.stdout).not.toContain('tables.opportunities.where');
  });
});
