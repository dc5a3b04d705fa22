import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventColumns,
  latestByScan,
  latestFromStatistics,
  latestValues,
} from '../../lib/data/closed-tables.ts';
import { CONTRACT } from '../../lib/data/contract.ts';
import { Database } from '../../lib/data/database.ts';
import { discoverSources } from '../../lib/data/discover.ts';
import { fenceFiles } from '../../lib/data/lockdown.ts';
import { parseMapping } from '../../lib/data/mapping.ts';
import { registerRawTable } from '../../lib/data/raw-tables.ts';
import { quoteLiteral } from '../../lib/data/sql-text.ts';
import { registerStagedTable, type StagedTable } from '../../lib/data/staged-tables.ts';
import { chunks, field, pathOf, rewriteFooter, type ThriftField } from './parquet-footer.ts';

// A table a run leaves closed still dates the export (lib/data/closed-tables.ts): a Parquet
// column the mapping only renames is dated from row-group statistics instead of a scan. Both
// must give the same value, whatever the files hold, and the statistics must be the way taken
// where they can answer.

const NOW = '2026-11-01T06:00:00Z';
const ZONES = ['UTC', 'America/Havana', 'Asia/Kolkata', 'Pacific/Chatham'];
/** How the generated files type logins.logged_in_at. */
const SOURCE_TYPES = ['TIMESTAMP', 'TIMESTAMPTZ', 'DATE', 'TIMESTAMP_NS', 'VARCHAR'] as const;

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

describe('the latest event of a closed Parquet table', () => {
  let root: string;
  let writer: Database;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pulse-closed-'));
    writer = await Database.open();
  });
  afterAll(async () => {
    writer.close();
    await rm(root, { recursive: true, force: true });
  });

  /** Writes `files` Parquet files of logins; some row groups all blank, some values after NOW. */
  async function writeExport(dir: string, pick: (n: number) => number, column: string): Promise<string> {
    const type = SOURCE_TYPES[pick(SOURCE_TYPES.length)] ?? 'TIMESTAMP';
    await mkdir(join(dir, 'logins'), { recursive: true });
    const files = 1 + pick(3);
    for (let f = 0; f < files; f++) {
      const rows = pick(5) === 0 ? pick(3) : 1 + pick(7000);
      const blankFrom = pick(rows + 1);
      const blankTo = blankFrom + (pick(2) === 0 ? 0 : pick(3000));
      const blankShare = [0, 5, 50, 100][pick(4)] ?? 0;
      // Up to 40 days after the clock on some exports; one value exactly at it on others.
      const after = pick(3) === 0 ? 40 * 86_400_000_000 : 0;
      const span = 7 * 365 * 86_400_000_000 + after;
      const seed = pick(1_000_000);
      const value = `TIMESTAMPTZ '2019-11-01 06:00:00+00' + to_microseconds((hash(i, ${seed}) % ${span})::BIGINT)`;
      const exact = pick(4) === 0 ? `WHEN i = ${pick(rows + 1)} THEN TIMESTAMPTZ '${NOW}'` : '';
      // Now and then a later file names the column in other letters (read as the same column), or lacks it.
      const named = f > 0 && pick(8) === 0 ? column.toUpperCase() : column;
      const lacks = f > 0 && pick(8) === 0;
      await writer.run(
        `COPY (SELECT ${
          lacks
            ? `'u' || i AS user_id FROM range(${rows}) r(i))`
            : `'u' || i AS user_id,
                      (CASE WHEN i BETWEEN ${blankFrom} AND ${blankTo} THEN NULL
                            WHEN hash(i, ${seed} + 1) % 100 < ${blankShare} THEN NULL ${exact}
                            ELSE ${value} END)::${type === 'TIMESTAMPTZ' ? 'TIMESTAMPTZ' : type === 'TIMESTAMP_NS' ? 'TIMESTAMP_NS' : 'TIMESTAMP'}${type === 'DATE' || type === 'VARCHAR' ? `::${type}` : ''} AS ${named}
               FROM range(${rows}) r(i))`
        }
         TO ${quoteLiteral(join(dir, 'logins', `part-${f}.parquet`))} (FORMAT parquet, ROW_GROUP_SIZE ${[2048, 4096, 100_000][pick(3)]})`,
      );
    }
    return type;
  }

  async function stage(
    dir: string,
    zone: string,
    mappingText?: string,
  ): Promise<{ db: Database; staged: StagedTable }> {
    const db = await Database.open();
    await fenceFiles(db, { readable: [dir] });
    await db.run(`SET TimeZone = ${quoteLiteral(zone)}`);
    const mapping = mappingText ? parseMapping(mappingText, 'm.json') : undefined;
    const { sources } = await discoverSources(dir, mapping);
    const source = sources.find((s) => s.table === 'logins');
    if (!source) throw new Error(`no logins in ${dir}`);
    const spec = CONTRACT.find((t) => t.name === 'logins');
    if (!spec) throw new Error('no logins in the contract');
    const staged = await registerStagedTable(
      db,
      await registerRawTable(db, source),
      spec,
      mapping ? 'm.json' : undefined,
    );
    return { db, staged };
  }

  it('is the same from statistics as from a scan, on 300 generated exports', async () => {
    const pick = random(20261206);
    let answered = 0;
    for (let i = 0; i < 300; i++) {
      const dir = join(root, `e${i}`);
      // Either the contract's name, a renamed column, or a `where` that leaves some rows out.
      const shape = pick(3);
      const column = shape === 1 ? 'seen_at' : 'logged_in_at';
      const type = await writeExport(dir, pick, column);
      const files = { files: 'logins/*.parquet' };
      const mapping =
        shape === 1
          ? JSON.stringify({ tables: { logins: { ...files, rename: { seen_at: 'logged_in_at' } } } })
          : shape === 2
            ? JSON.stringify({ tables: { logins: { ...files, where: "user_id NOT LIKE '%7'" } } })
            : undefined;
      const zone = ZONES[pick(ZONES.length)] ?? 'UTC';
      const { db, staged } = await stage(dir, zone, mapping);
      try {
        const [column0] = eventColumns(staged);
        if (!column0) throw new Error('logins has no event column');
        const scanned = await latestByScan(db, staged, [column0], NOW);
        const case_ = { i, type, shape, zone };
        expect({ ...case_, latest: await latestValues(db, staged, NOW) }).toEqual({
          ...case_,
          latest: scanned,
        });
        if ((await latestFromStatistics(db, staged, column0, NOW)) !== undefined) answered++;
      } finally {
        db.close();
      }
    }
    // The statistics answer the exports typed as dates or times (not text, not nanoseconds), no
    // `where` leaving rows out, nothing after the clock: 61 of these, of every type and shape.
    expect(answered).toBeGreaterThan(50);
  }, 120_000);

  it('are not read where a `where` leaves rows out, or the latest value is after the clock', async () => {
    const dir = join(root, 'where');
    await mkdir(join(dir, 'logins'), { recursive: true });
    await writer.run(
      `COPY (SELECT * FROM (VALUES ('u1', TIMESTAMP '2026-10-01 10:00'), ('test', TIMESTAMP '2026-10-30 10:00')) t(user_id, logged_in_at))
       TO ${quoteLiteral(join(dir, 'logins', 'a.parquet'))} (FORMAT parquet)`,
    );
    const where = JSON.stringify({
      tables: { logins: { files: 'logins/*.parquet', where: "user_id <> 'test'" } },
    });
    for (const [mapping, now, expected] of [
      [undefined, NOW, '2026-10-30 10:00:00+00'],
      [where, NOW, '2026-10-01 10:00:00+00'],
      [undefined, '2026-10-15T00:00:00Z', '2026-10-01 10:00:00+00'],
    ] as const) {
      const { db, staged } = await stage(dir, 'UTC', mapping);
      try {
        expect(Object.fromEntries(await latestValues(db, staged, now))).toEqual({ logged_in_at: expected });
      } finally {
        db.close();
      }
    }
  });

  it('falls back to the scan where the statistics would miss or misread values', async () => {
    const rows = (late: string) =>
      `SELECT 'u' || i AS user_id, CASE WHEN i < 2048 THEN TIMESTAMP '2026-10-01' ELSE ${late} END AS logged_in_at FROM range(4096) r(i)`;
    const dropStats = (rowGroup: number) => (meta: ThriftField[]) => {
      for (const c of chunks(meta))
        if (c.rg === rowGroup && pathOf(c.md) === 'logged_in_at')
          c.md.splice(
            c.md.findIndex((f) => f.id === 12),
            1,
          );
    };
    const rename = (from: string, to: string) => (meta: ThriftField[]) => {
      for (const se of field(meta, 2)?.v.items ?? []) {
        const name = field(se, 4);
        if (name?.v.toString() === from) name.v = Buffer.from(to);
      }
      for (const c of chunks(meta)) {
        const path = field(c.md, 3)?.v;
        path.items = path.items.map((p: Buffer) => (p.toString() === from ? Buffer.from(to) : p));
      }
    };
    const cases: [string, string, ((meta: ThriftField[]) => void) | undefined, object | undefined][] = [
      // Infinity has no instant (NULL once typed): the latest value is the one before it.
      ['infinity', rows("TIMESTAMP 'infinity'"), undefined, undefined],
      [
        'a DATE infinity',
        `SELECT 'u1' AS user_id, unnest([DATE '2026-10-01', DATE 'infinity']) AS logged_in_at`,
        undefined,
        undefined,
      ],
      // A DATE out of a timestamp's range: the scan cannot type it and dates nothing.
      [
        'a DATE out of range',
        `SELECT 'u1' AS user_id, unnest([DATE '2026-10-01', DATE '-5877641-06-25']) AS logged_in_at`,
        undefined,
        undefined,
      ],
      // A row group without statistics (another writer's, or statistics turned off).
      ['a row group without statistics', rows("TIMESTAMP '2026-10-20'"), dropStats(1), undefined],
      // Field "at" of struct "seen" has the same path as a column "seen, at".
      [
        'a nested field of the same path',
        `SELECT 'u1' AS user_id, TIMESTAMP '2026-10-01' AS "seen, at", {'at': TIMESTAMP '2026-10-20'} AS seen`,
        undefined,
        { tables: { logins: { files: 'logins/*.parquet', rename: { 'seen, at': 'logged_in_at' } } } },
      ],
      // Two columns in other letters: DuckDB reads the first as logged_in_at, the second as logged_in_at_1.
      [
        'a column in other letters first',
        `SELECT 'u1' AS user_id, TIMESTAMP '2026-10-20' AS "LOGGED_IN_AT", TIMESTAMP '2026-10-01' AS x`,
        rename('x', 'logged_in_at'),
        undefined,
      ],
    ];
    for (const [label, select, edit, mapping] of cases) {
      const dir = join(root, label.replaceAll(' ', '-'));
      await mkdir(join(dir, 'logins'), { recursive: true });
      const file = join(dir, 'logins', 'b.parquet');
      await writer.run(`COPY (${select}) TO ${quoteLiteral(file)} (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
      if (edit) rewriteFooter(file, edit);
      const { db, staged } = await stage(dir, 'UTC', mapping && JSON.stringify(mapping));
      try {
        const scanned = Object.fromEntries(await latestByScan(db, staged, eventColumns(staged), NOW));
        expect({ label, latest: Object.fromEntries(await latestValues(db, staged, NOW)) }).toEqual({
          label,
          latest: scanned,
        });
      } finally {
        db.close();
      }
    }
  });
});
