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
});
