// Control characters in CSV values (NUL, ESC, DEL, C1) are read as written, flagged by
// `pulse check`, and never printed raw to a terminal: every output for people escapes them.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDataset } from '../../lib/data/dataset.ts';
import { TEST_NOW } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

/** Raw control characters in `text` other than tabs and line breaks. */
function rawControls(text: string): string[] {
  return [...text].filter((char) => {
    const code = char.charCodeAt(0);
    return ![0x09, 0x0a, 0x0d].includes(code) && (code < 0x20 || (code >= 0x7f && code <= 0x9f));
  });
}

let data: string;
beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'pulse-control-'));
  const lines = [
    'customer_id,segment,acquired_at',
    'C1,SMB\u0000x,2025-01-01',
    'C2,\u001b[31mred\u007f,2025-01-02',
    'C3,"tab\tand\r\nline break",2025-01-03',
    'C4\u0085,Enterprise,2025-01-04',
    'C5,Enterprise,2025-01-05',
  ];
  await writeFile(join(data, 'customers.csv'), `${lines.join('\n')}\n`);
});
afterAll(async () => {
  await rm(data, { recursive: true, force: true });
});

describe('control characters in a CSV', () => {
  it('are read as written and flagged per column with their lines; tabs and line breaks are not', async () => {
    const dataset = await openDataset({ dataDir: data, now: TEST_NOW, threads: 1, cacheDir: null });
    try {
      const flagged = dataset.problems.filter((p) => p.rule === 'control_character');
      expect(
        flagged.map((p) => [p.severity, p.column, p.count, p.examples.map((e) => [e.loc, e.value])]),
      ).toEqual([
        ['warning', 'customer_id', 1, [[6, 'C4\u0085']]],
        [
          'warning',
          'segment',
          2,
          [
            [2, 'SMB\u0000x'],
            [3, '\u001b[31mred\u007f'],
          ],
        ],
      ]);
      expect(await dataset.db.rows('SELECT segment FROM customers ORDER BY acquired_at LIMIT 1')).toEqual([
        { segment: 'SMB\u0000x' },
      ]);
      expect(dataset.rejects.rows).toBe(0);
    } finally {
      dataset.close();
    }
  });

  it('are listed escaped by pulse check, which prints none raw', async () => {
    const { code, stdout } = await pulse(['check', '--data', data]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      `warning customers, column segment: text holds a control character: 2 rows (expected text without control characters such as NUL or ESC (tab and line breaks are fine)); e.g. ${data}/customers.csv 2 ("SMB\\u0000x"), 3 ("\\u001b[31mred\\u007f")`,
    );
    expect(stdout).toContain('6 ("C4\\u0085")');
    expect(stdout).toMatch(/^0 errors, 3 warnings$/m);
    expect(rawControls(stdout)).toEqual([]);
    const json = await pulse(['check', '--data', data, '--format', 'json']);
    expect(rawControls(json.stdout)).toEqual([]);
    expect(JSON.parse(json.stdout).problems[0].examples[0].value).toBe('C4\u0085');
  });

  it('are escaped in tables and messages; CSV output keeps the data as it is', async () => {
    const table = await pulse(['query', 'select customer_id, segment from customers', '--data', data]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('SMB\\u0000x');
    expect(table.stdout).toContain('tab\\tand\\r\\nline break');
    expect(rawControls(table.stdout)).toEqual([]);
    expect(table.stdout.split('\n')).toHaveLength(5 + 2 + 1);
    const failed = await pulse(['query', 'select segment::INTEGER from customers', '--data', data]);
    expect(failed.code).toBe(1);
    const unknown = await pulse(['kpi', 'close\u001b[2J', '--data', data]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('close\\u001b[2J');
    for (const run of [failed, unknown]) expect(rawControls(run.stderr)).toEqual([]);
    const csv = await pulse(['query', 'select segment from customers', '--data', data, '--format', 'csv']);
    expect(csv.stdout).toContain('SMB\u0000x');
  });
});
