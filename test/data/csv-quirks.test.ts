// Property tests on CSV quirks, with the project's seeded PRNG: quotes, quoted line breaks, BOM,
// CRLF and CR line ends, Latin-1 text, long lines, ragged rows, broken quotes and blank lines.
// Whatever the file, loading never crashes, and every data line is either in a good row or
// listed among the rejected rows, at its line.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanCsvFile } from '../../lib/data/csv-scan.ts';
import { openDataset } from '../../lib/data/dataset.ts';
import { readRejectedRows } from '../../lib/data/read-rejected-rows.ts';
import { Rng } from '../../tools/generate-sample/rng.ts';
import { TEST_NOW } from '../helpers.ts';

type Kind = 'good' | 'too_many_fields' | 'too_few_fields' | 'text_after_quote' | 'invalid_encoding';

interface ExpectedRecord {
  readonly id: string;
  readonly kind: Kind | 'unterminated_quote';
  readonly line: number;
  readonly lines: number;
}

interface GeneratedFile {
  readonly bytes: Buffer;
  readonly encoding: 'utf-8' | 'latin-1';
  readonly records: readonly ExpectedRecord[];
}

const WORDS = ['Acme', 'Globex', 'x', '', '42', '3.50', "O'Brien", 'a b', '2026-10-31'];

/** One random file and what loading it must find. */
function generate(rng: Rng, n: number): GeneratedFile {
  const encoding = rng.chance(0.2) ? 'latin-1' : 'utf-8';
  const eol = ['\n', '\r\n', '\r'][rng.int(0, 2)] as string;
  const width = rng.int(2, 5);
  const parts: Buffer[] = [];
  const text = (s: string) => Buffer.from(s, encoding === 'latin-1' ? 'latin1' : 'utf8');
  if (rng.chance(0.3)) parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  parts.push(text(`user_id,${Array.from({ length: width - 1 }, (_, i) => `c${i + 1}`).join(',')}${eol}`));
  let line = 2;
  const records: ExpectedRecord[] = [];
  const rows = rng.int(0, 30);
  for (let r = 1; r <= rows; r++) {
    while (rng.chance(0.1)) {
      parts.push(text(eol));
      line++;
    }
    const id = `U${n}-${r}`;
    const roll = rng.next();
    let kind: Kind = 'good';
    if (roll < 0.08) kind = 'too_many_fields';
    else if (roll < 0.16) kind = 'too_few_fields';
    else if (roll < 0.22) kind = 'text_after_quote';
    else if (roll < 0.28 && encoding === 'utf-8') kind = 'invalid_encoding';
    const count =
      kind === 'too_many_fields'
        ? width + rng.int(1, 3)
        : kind === 'too_few_fields'
          ? rng.int(1, width - 1)
          : width;
    const fields: Buffer[] = [text(id)];
    const breaksIn = [0];
    for (let f = 1; f < count; f++) {
      const field = randomField(rng, eol, encoding);
      breaksIn.push(field.breaks);
      fields.push(text(field.text));
    }
    if (kind === 'text_after_quote' || kind === 'invalid_encoding') {
      const at = rng.int(1, count - 1);
      fields[at] = kind === 'text_after_quote' ? text('"quoted"tail') : Buffer.from([0x63, 0x61, 0x66, 0xe9]);
      breaksIn[at] = 0;
    }
    const breaks = breaksIn.reduce((a, b) => a + b, 0);
    parts.push(Buffer.concat(fields.flatMap((b, i) => (i === 0 ? [b] : [text(','), b]))), text(eol));
    records.push({ id, kind, line, lines: 1 + breaks });
    line += 1 + breaks;
  }
  if (rng.chance(0.15)) {
    // A quote never closed: everything after it is one broken record.
    const tail = `U${n}-end,"never closed${eol}more,lines${eol}`;
    parts.push(text(tail));
    records.push({ id: `U${n}-end`, kind: 'unterminated_quote', line, lines: 2 });
  }
  return { bytes: Buffer.concat(parts), encoding, records };
}

function randomField(rng: Rng, eol: string, encoding: string): { text: string; breaks: number } {
  const roll = rng.next();
  if (roll < 0.4) return { text: WORDS[rng.int(0, WORDS.length - 1)] as string, breaks: 0 };
  if (roll < 0.55) return { text: '"with, comma"', breaks: 0 };
  if (roll < 0.65) return { text: '"say ""hi"""', breaks: 0 };
  if (roll < 0.75) return { text: `"two${eol}lines"`, breaks: 1 };
  if (roll < 0.85) return { text: encoding === 'latin-1' ? 'café crème' : 'café 日本 🚀', breaks: 0 };
  if (roll < 0.9) return { text: 'y'.repeat(rng.int(1000, 40_000)), breaks: 0 };
  return { text: '""', breaks: 0 };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-quirks-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('CSV quirks (seeded property tests)', () => {
  it('the scan finds every record at its line and every malformed one', async () => {
    const rng = new Rng(7);
    for (let n = 0; n < 300; n++) {
      const file = generate(rng, n);
      const path = join(dir, `scan-${n}.csv`);
      await writeFile(path, file.bytes);
      const scan = await scanCsvFile(path, { delimiter: ',', encoding: file.encoding });
      const bad = file.records.filter((r) => r.kind !== 'good');
      expect(scan.records, `file ${n}`).toBe(file.records.length);
      expect(
        scan.malformed.map((m) => [m.line, m.error, m.lines]),
        `file ${n}`,
      ).toEqual(bad.map((r) => [r.line, r.kind, r.lines]));
      expect(scan.malformed.every((m) => [...m.raw].length <= 200)).toBe(true);
    }
  });

  it('loading never crashes, and good rows + rejected rows = every data line', async () => {
    const rng = new Rng(11);
    for (let n = 0; n < 24; n++) {
      const file = generate(rng, n);
      const data = join(dir, `load-${n}`);
      await mkdir(data);
      await writeFile(join(data, 'users.csv'), file.bytes);
      const mapping = join(dir, `mapping-${n}.json`);
      await writeFile(
        mapping,
        JSON.stringify({ tables: { users: { files: 'users.csv', csv: { encoding: file.encoding } } } }),
      );
      const dataset = await openDataset({
        dataDir: data,
        now: TEST_NOW,
        mapping,
        allowRejects: true,
        threads: 1,
      });
      try {
        const good = file.records.filter((r) => r.kind === 'good');
        const bad = file.records.filter((r) => r.kind !== 'good');
        const loaded = await dataset.db.rows('SELECT user_id FROM users');
        expect(loaded.map((r) => r.user_id).sort(), `file ${n}`).toEqual(good.map((r) => r.id).sort());
        const rejected = await readRejectedRows(dataset);
        expect(
          rejected.map((r) => r.line),
          `file ${n}`,
        ).toEqual(bad.map((r) => r.line));
        const lines = [...good, ...bad].reduce((sum, r) => sum + r.lines, 0);
        expect(lines, `file ${n}`).toBe(file.records.reduce((sum, r) => sum + r.lines, 0));
        expect(dataset.tables[0]).toMatchObject({ records: file.records.length, rejected: bad.length });
      } finally {
        dataset.close();
      }
    }
  });

  it('reads Latin-1 text when the mapping says so, and rejects it as UTF-8 otherwise', async () => {
    const data = join(dir, 'latin1');
    await mkdir(data);
    await writeFile(join(data, 'users.csv'), Buffer.from('user_id,name\nU1,café\nU2,Zoë\n', 'latin1'));
    const mapping = join(dir, 'latin1.json');
    await writeFile(
      mapping,
      JSON.stringify({ tables: { users: { files: 'users.csv', csv: { encoding: 'latin-1' } } } }),
    );
    const latin = await openDataset({ dataDir: data, now: TEST_NOW, mapping });
    try {
      expect(await latin.db.rows('SELECT name FROM users ORDER BY user_id')).toEqual([
        { name: 'café' },
        { name: 'Zoë' },
      ]);
    } finally {
      latin.close();
    }
    const utf8 = await openDataset({ dataDir: data, now: TEST_NOW });
    try {
      const problem = utf8.problems.find((p) => p.rule === 'malformed_line');
      expect(problem?.examples.map((e) => e.loc)).toEqual([2, 3]);
      expect(problem?.hint).toMatch(/"csv": \{"encoding": "latin-1"\}/);
    } finally {
      utf8.close();
    }
  });

  it('rejects a line longer than 1 MB, keeping its first 200 characters', async () => {
    const path = join(dir, 'long.csv');
    await writeFile(path, `a,b\n1,${'z'.repeat(1_100_000)}\n2,ok\n`);
    const scan = await scanCsvFile(path, { delimiter: ',', encoding: 'utf-8' });
    expect(scan.records).toBe(2);
    expect(scan.malformed).toMatchObject([{ line: 2, error: 'line_too_long' }]);
    expect(scan.malformed[0]?.raw).toHaveLength(200);
  });
});
