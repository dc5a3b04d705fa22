import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dataset, openDataset } from '../../lib/data/dataset.ts';
import { runQueryPrompt } from '../../lib/dev/query-prompt.ts';
import { saveKpiFile } from '../../lib/dev/save-kpi.ts';
import { runScratchQuery } from '../../lib/dev/scratch-query.ts';
import { definePeriodMacros, runKpi } from '../../lib/kpi/run.ts';
import { SAMPLE_DATA_DIR } from '../../lib/paths.ts';
import { TEST_NOW, testCatalog } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

// The data folder is never written, by any statement, from any entry point. Every attack runs
// against a copy of the sample; afterwards every file's checksum is what it was and no file was
// added, removed or replaced by a link.
let root: string;
let data: string;
let out: string;
let before: Map<string, string>;

const INVISIBLE = ['\u200b', '\u000b', '\u1680', '\u2028', '\u2029', '\u3000', '\ufeff', '\u00a0', '\u2060'];

function attacks(): [string, string][] {
  const target = `${data}/opportunities.parquet`;
  const hidden = (space: string, statement: string) => `SELECT ${space}E'\\' AS x'; ${statement}; --'`;
  return [
    ...INVISIBLE.map((space): [string, string] => [
      `a COPY hidden after U+${space.codePointAt(0)?.toString(16).padStart(4, '0')}`,
      hidden(space, `COPY (SELECT * FROM opportunities LIMIT 1) TO '${target}' (FORMAT parquet)`),
    ]),
    ['an ATTACH hidden after U+200B', hidden('\u200b', `ATTACH '${data}/pwned.db' AS pwned`)],
    ['COPY into the data folder', `COPY (SELECT 1) TO '${data}/orders.csv'`],
    ['COPY of a table into the data folder', `COPY opportunities TO '${target}' (FORMAT parquet)`],
    ['EXPORT DATABASE', `EXPORT DATABASE '${data}/export'`],
    ['ATTACH', `ATTACH '${data}/pwned.db' AS pwned`],
    ['CALL enable_logging to a file', `CALL enable_logging(storage='file', storage_path='${data}/log')`],
    ['enable_logging in FROM', `SELECT * FROM enable_logging(storage='file', storage_path='${data}/log')`],
    ['enable_logging outside the folders', `CALL enable_logging(storage='file', storage_path='/tmp/x-log')`],
    ['query() with a COPY inside', `FROM query('COPY (SELECT 1) TO ''${data}/q.csv''')`],
    ['checkpoint', 'CALL checkpoint()'],
    ['PRAGMA import_database', `PRAGMA import_database('${out}/import')`],
    ['COPY FROM DATABASE', 'COPY FROM DATABASE memory TO pwned'],
    ['a dangling link in the output folder', `COPY (SELECT 1) TO '${out}/dangling.csv'`],
    ['a link into the data folder', `COPY (SELECT 1) TO '${out}/into-data/x.csv'`],
    ['.. after a link', `COPY (SELECT 1) TO '${out}/into-data/../data/x.csv'`],
    ['SET to undo the lock', "SET allowed_directories = ['/']"],
    ['INSTALL', 'INSTALL httpfs'],
    ['a prepared COPY', `PREPARE p AS COPY (SELECT 1) TO '${data}/p.csv'; EXECUTE p`],
    ['EXPLAIN ANALYZE of a COPY', `EXPLAIN ANALYZE COPY (SELECT 1) TO '${data}/e.csv'`],
  ];
}

async function checksums(dir: string): Promise<Map<string, string>> {
  const sums = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, String(entry));
    const info = await lstat(path);
    if (info.isSymbolicLink()) sums.set(String(entry), 'link');
    else if (info.isFile())
      sums.set(
        String(entry),
        createHash('sha256')
          .update(await readFile(path))
          .digest('hex'),
      );
    else sums.set(String(entry), 'dir');
  }
  return sums;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pulse-integrity-'));
  data = join(root, 'data');
  out = join(root, 'out');
  await mkdir(out);
  await mkdir(data);
  for (const file of await readdir(SAMPLE_DATA_DIR)) {
    if (file.endsWith('.parquet') || file.endsWith('.csv'))
      await writeFile(join(data, file), await readFile(join(SAMPLE_DATA_DIR, file)));
  }
  await symlink(join(data, 'new.csv'), join(out, 'dangling.csv'));
  await symlink(data, join(out, 'into-data'));
  await mkdir(join(out, 'import'));
  await writeFile(join(out, 'import', 'schema.sql'), `COPY (SELECT 42) TO '${data}/pwned.csv';\n`);
  await writeFile(join(out, 'import', 'load.sql'), '');
  before = await checksums(data);
}, 60_000);
afterAll(() => rm(root, { recursive: true, force: true }));

async function expectDataUnchanged(): Promise<void> {
  expect(await checksums(data)).toEqual(before);
  await expect(lstat('/tmp/x-log')).rejects.toThrow();
}

describe('the data folder is never written', () => {
  it('by `pulse query` with the SQL as text or from a file', async () => {
    const env = { PULSE_STATE_DIR: join(root, 'state') };
    for (const [what, sql] of attacks()) {
      const text = await pulse(['query', sql, '--data', data, '--out', out], env);
      expect(text.code, what).not.toBe(0);
      expect(text.stderr, what).toMatch(/refused|Parser Error|syntax error/);
      const file = join(root, 'attack.sql');
      await writeFile(file, sql);
      const fromFile = await pulse(['query', file, '--data', data, '--out', out], env);
      expect(fromFile.code, what).not.toBe(0);
    }
    await expectDataUnchanged();
  }, 240_000);

  describe('with one dataset open, as the dev server and the prompt hold it', () => {
    let dataset: Dataset;
    beforeAll(async () => {
      dataset = await openDataset({
        dataDir: data,
        now: TEST_NOW,
        writableDirs: [out],
        cacheDir: join(root, 'cache'),
      });
      await definePeriodMacros(dataset.db);
    }, 60_000);
    afterAll(() => dataset.close());

    it('by the scratchpad, and a refused statement leaves the session working', async () => {
      for (const [what, sql] of attacks()) {
        await expect(runScratchQuery(dataset, sql, {}), what).rejects.toThrow();
        const after = await runScratchQuery(dataset, 'SELECT count(*) AS n FROM opportunities', {});
        expect(after.rows, what).toEqual([{ n: 17260 }]);
      }
      await expectDataUnchanged();
    }, 120_000);

    it('by the interactive prompt reading standard input', async () => {
      const input = new PassThrough();
      let err = '';
      const done = runQueryPrompt({
        input,
        output: new PassThrough(),
        terminal: false,
        write: () => {},
        writeError: (t) => {
          err += t;
        },
        dataset,
        catalog: testCatalog,
        params: {},
      });
      input.end(
        `${attacks()
          .map(([, sql]) => sql.replaceAll('\n', ' '))
          .join(';\n')};\n`,
      );
      await done;
      expect(err).toMatch(/refused/);
      await expectDataUnchanged();
    }, 120_000);

    it('by a KPI saved from the scratchpad or run in a report', async () => {
      for (const [what, sql] of attacks()) {
        const queriesDir = join(root, 'queries');
        const saved = await saveKpiFile(
          queriesDir,
          {
            area: 'ops',
            id: 'attack',
            title: 'Attack',
            description: 'x',
            unit: 'count',
            direction: 'none',
            sql,
          },
          {
            catalog: undefined,
            today: '2026-12-04',
            trial: async (definition) => {
              await runKpi(dataset, definition, {
                span: { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
              });
            },
          },
        );
        expect(saved.ok, what).toBe(false);
      }
      await expectDataUnchanged();
    }, 120_000);
  });

  it('by a mapping whose `where` or `derive` carries a statement', async () => {
    const mapping = join(root, 'attack.json');
    for (const snippet of [
      `1=1) AS x; COPY (SELECT 1) TO '${data}/m.csv'; SELECT (1`,
      `\u200bE'\\' AS x'; COPY (SELECT 1) TO '${data}/m.csv'; --'`,
      `(SELECT count(*) FROM enable_logging(storage='file', storage_path='${data}/log')) > 0`,
    ]) {
      await writeFile(
        mapping,
        JSON.stringify({
          tables: {
            orders: { files: 'orders.parquet', where: snippet },
            customers: { files: 'customers.parquet', derive: { region: snippet } },
          },
        }),
      );
      const run = await pulse(['check', '--data', data, '--mapping', mapping], {
        PULSE_CACHE: 'off',
      });
      expect(run.code, snippet).not.toBe(0);
    }
    await expectDataUnchanged();
  }, 120_000);
});
