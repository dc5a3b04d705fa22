import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';
import { FIXTURES, openFixture } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

// DuckDB's allowed folders are readable *and writable*: left to itself, a query could overwrite
// the data folder (COPY ... TO), create a database file there (ATTACH) or run SQL from a file
// (PRAGMA import_database). `pulse query` and the scratchpad may write only inside the output
// folder; every other command not at all. Each refusal is checked on disk too.
let root: string;
let data: string;
let out: string;
let outside: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'crm-pulse-copy-to-'));
  data = join(root, 'data');
  out = join(root, 'out');
  outside = join(root, 'elsewhere');
  await cp(`${FIXTURES}/ops`, data, { recursive: true });
  await mkdir(out);
  await mkdir(outside);
  // A link inside the output folder that leads into the data folder.
  await symlink(data, join(out, 'into-data'));
  // What an earlier COPY could have left in the output folder: SQL that import_database runs.
  await mkdir(join(out, 'import'));
  await writeFile(join(out, 'import', 'schema.sql'), `COPY (SELECT 42) TO '${data}/pwned.csv';\n`);
  await writeFile(join(out, 'import', 'load.sql'), '');
});
afterAll(() => rm(root, { recursive: true, force: true }));

const query = (sql: string, ...flags: string[]) =>
  pulse(['query', sql, '--data', data, '--out', out, ...flags], { PULSE_STATE_DIR: join(root, 'state') });

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

describe('COPY ... TO from `pulse query`', () => {
  it('writes inside the output folder, creating the folders on the way', async () => {
    const run = await query(`COPY (SELECT ticket_id FROM tickets ORDER BY 1) TO '${out}/checks/tickets.csv'`);
    expect(run).toMatchObject({ code: 0 });
    expect(await readFile(join(out, 'checks', 'tickets.csv'), 'utf8')).toMatch(/^ticket_id\n/);
    const parquet = await query(`COPY (SELECT 1 AS a) TO '${out}/one.parquet' (FORMAT parquet)`);
    expect(parquet.code).toBe(0);
    expect(existsSync(join(out, 'one.parquet'))).toBe(true);
  });

  it('takes a path relative to the working folder, inside the default output folder out/', async () => {
    const folder = `out/test-artifacts/copy-to-${process.pid}`;
    try {
      const run = await pulse(['query', `COPY (SELECT 1 AS a) TO '${folder}/x.csv'`, '--data', data]);
      expect(run).toMatchObject({ code: 0 });
      expect(await readFile(join(TOOLKIT_ROOT, folder, 'x.csv'), 'utf8')).toBe('a\n1\n');
    } finally {
      await rm(join(TOOLKIT_ROOT, folder), { recursive: true, force: true });
    }
  });

  const before = { data: [] as string[], outside: [] as string[] };
  beforeAll(async () => {
    before.data = await files(data);
    before.outside = await files(outside);
  });

  const refusals: [string, string, RegExp][] = [
    [
      'outside every allowed folder',
      `COPY (SELECT 1) TO '/tmp/pulse-escape-${process.pid}.csv'`,
      /outside the output folder/,
    ],
    ['a folder next to the output', `COPY (SELECT 1) TO '${'{outside}'}/x.csv'`, /outside the output folder/],
    [
      'the data folder (DuckDB may read it, so it could write it)',
      `COPY (SELECT 1) TO '{data}/tickets.csv'`,
      /outside the output folder/,
    ],
    ['out/../ into the data folder', `COPY (SELECT 1) TO '{out}/../data/x.csv'`, /outside the output folder/],
    [
      'out/./../ (DuckDB checks the text only)',
      `COPY (SELECT 1) TO '{out}/./../data/x.csv'`,
      /outside the output folder/,
    ],
    [
      'a link in the output folder into the data folder',
      `COPY (SELECT 1) TO '{out}/into-data/x.csv'`,
      /outside the output folder/,
    ],
    ['a file:// URL', `COPY (SELECT 1) TO 'file://{data}/x.csv'`, /outside the output folder/],
    [
      'a string continued on the next line',
      `COPY (SELECT 1) TO '{out}/x'\n'/../../data/x.csv'`,
      /outside the output folder/,
    ],
    ['an escape string', `COPY (SELECT 1) TO E'{data}/x.csv'`, /plain quoted path/],
    ['a dollar-quoted string', 'COPY (SELECT 1) TO $${data}/x.csv$$', /plain quoted path/],
    ['an expression', `COPY (SELECT 1) TO ('{data}' || '/x.csv')`, /plain quoted path/],
    ['an invisible space in the path', "COPY (SELECT 1) TO '{out}/a\u00a0b.csv'", /invisible space/],
    [
      'a file name pattern leading out',
      `COPY (SELECT 1 AS a) TO '{out}/p' (PER_THREAD_OUTPUT, FILENAME_PATTERN '../../data/x_{i}')`,
      /FILENAME_PATTERN must be a plain name/,
    ],
    [
      'EXPLAIN ANALYZE, which runs the COPY',
      `EXPLAIN ANALYZE COPY (SELECT 1) TO '{data}/x.csv'`,
      /EXPLAIN takes a SELECT here/,
    ],
    [
      'a prepared COPY',
      `PREPARE p AS COPY (SELECT 1) TO '{data}/x.csv'; EXECUTE p`,
      /PREPARE is not allowed/,
    ],
    [
      'a COPY after another statement',
      `SELECT 1; COPY (SELECT 1) TO '{data}/x.csv'`,
      /outside the output folder/,
    ],
    [
      'a COPY hidden after a comment',
      `/* ; */ -- '\nCOPY (SELECT 1) TO '{data}/x.csv'`,
      /outside the output folder/,
    ],
    ['ATTACH, which creates a database file', `ATTACH '{data}/x.duckdb' AS x`, /ATTACH is not allowed/],
    [
      'EXPORT DATABASE, which writes as DuckDB binds it',
      `EXPORT DATABASE '{out}/export'`,
      /EXPORT is not allowed/,
    ],
    [
      'PRAGMA import_database, which runs SQL from a file',
      `PRAGMA import_database('{out}/import')`,
      /import_database is not allowed/,
    ],
    ['IMPORT DATABASE', `IMPORT DATABASE '{out}/import'`, /IMPORT is not allowed/],
    ['an unterminated string', `SELECT 'x; COPY (SELECT 1) TO '{data}/x.csv'`, /ends inside a string/],
  ];
  for (const [what, template, message] of refusals) {
    it(`refuses ${what}, and nothing is written`, async () => {
      const sql = template
        .replaceAll('{data}', data)
        .replaceAll('{outside}', outside)
        .replaceAll('{out}', out);
      const run = await query(sql);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^pulse: refused: /);
      expect(run.stderr).toMatch(message);
      expect(await files(data)).toEqual(before.data);
      expect(await files(outside)).toEqual(before.outside);
      expect(existsSync(join(out, 'export'))).toBe(false);
      expect(existsSync(`/tmp/pulse-escape-${process.pid}.csv`)).toBe(false);
    });
  }

  it('says where a query may write, with an example', async () => {
    const run = await query(`COPY (SELECT 1) TO '${data}/x.csv'`);
    expect(run.stderr).toBe(
      `pulse: refused: COPY ... TO '${data}/x.csv' would write ${data}/x.csv, outside the output folder; queries may read the data folder and write files only with COPY ... TO inside the output folder (${out}), e.g. COPY (SELECT ...) TO '${relative(process.cwd(), out).startsWith('..') ? out : relative(process.cwd(), out)}/result.csv'\n`,
    );
  });
});

describe('COPY ... TO elsewhere', () => {
  it('is refused by commands that do not write query results (a KPI run, a report)', async () => {
    const dataset = await openFixture(data);
    try {
      await expect(dataset.db.rows(`COPY (SELECT 1) TO '${out}/kpi.csv'`)).rejects.toThrow(
        /refused: COPY \.\.\. TO '.*kpi\.csv' writes a file, which this command does not allow/,
      );
      expect(existsSync(join(out, 'kpi.csv'))).toBe(false);
      // Reading is unaffected, and so is SQL that merely mentions the words.
      expect(await dataset.db.rows(`SELECT 'copy' AS "export", 1 AS load`)).toEqual([
        { export: 'copy', load: 1 },
      ]);
    } finally {
      dataset.close();
    }
  });
});
