// CSV files into DuckDB, every record accounted for: the scan (csv-scan.ts) says where each
// record is and which are malformed; DuckDB parses the well-formed ones.

import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PulseError } from '../errors.ts';
import {
  type ControlCharacters,
  type CsvDialect,
  type CsvScan,
  type MalformedRecord,
  scanCsvFile,
  writeNumberedCopy,
} from './csv-scan.ts';
import { MAX_RECORD_BYTES } from './csv-tokenizer.ts';
import type { Database } from './database.ts';
import type { TableSource } from './discover.ts';
import type { MalformedRow } from './malformed-row.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';

export interface LoadedCsv {
  readonly records: number;
  /** Values with control characters, per file and column. */
  readonly controls: FileControlCharacters[];
  readonly footerLines: number;
  readonly malformed: MalformedRow[];
  readonly headerProblems: { file: string; detail: string; expected?: string; hint?: string }[];
}

export interface FileControlCharacters extends ControlCharacters {
  readonly file: string;
}

// CSV is read once, as text, into memory: every later check and KPI reads that copy, and the
// validator (not the CSV reader) decides what a bad value is, so it can say where it is.
export async function loadCsvFiles(db: Database, source: TableSource, relation: string): Promise<LoadedCsv> {
  const parts: string[] = [];
  const result: LoadedCsv = { records: 0, footerLines: 0, malformed: [], headerProblems: [], controls: [] };
  let records = 0;
  let footerLines = 0;
  for (const [i, file] of source.files.entries()) {
    const scan = await scanCsvFile(file, source.dialect).catch((error: NodeJS.ErrnoException) => {
      throw new PulseError('data_folder', `${file} cannot be read (${error.code ?? error.message})`);
    });
    records += scan.records;
    footerLines += scan.footer.length;
    // One by one: spread into push, 400,000 malformed lines overflow the call stack.
    for (const m of scan.malformed) result.malformed.push({ ...m, file, header: scan.header });
    result.controls.push(...scan.controls.map((c) => ({ ...c, file })));
    if (scan.header.length === 0) {
      result.headerProblems.push({ file, detail: scan.headerProblem ?? 'the file has no header line' });
      continue;
    }
    const part = `${relation}_${i}`;
    const extra = await loadCsvFile(db, file, source.dialect, scan, part);
    for (const m of extra) result.malformed.push({ ...m, file, header: scan.header });
    parts.push(part);
  }
  result.malformed.sort((a, b) => a.file.localeCompare(b.file) || a.seq - b.seq);
  if (parts.length === 0) {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(relation)} AS
       SELECT NULL::VARCHAR AS __file, NULL::BIGINT AS __rec, NULL::BIGINT AS __loc WHERE false`,
    );
  } else if (parts.length === 1) {
    await db.run(`DROP TABLE IF EXISTS ${quoteIdent(relation)}`);
    await db.run(`ALTER TABLE ${quoteIdent(parts[0] as string)} RENAME TO ${quoteIdent(relation)}`);
    return { ...result, records, footerLines };
  } else {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(relation)} AS
       ${parts.map((p) => `SELECT * FROM ${quoteIdent(p)}`).join(' UNION ALL BY NAME ')}`,
    );
    for (const part of parts) await db.run(`DROP TABLE ${quoteIdent(part)}`);
  }
  return { ...result, records, footerLines };
}

/**
 * Reads one CSV file into `part`. DuckDB reads the file as it is; when it rejects exactly the
 * records the scan found malformed, its rows are the other records in order. Otherwise (rare:
 * the two disagree on a record) it reads a copy of the well-formed records, each prefixed with
 * its record number. Returns records DuckDB could not read either.
 */
async function loadCsvFile(
  db: Database,
  file: string,
  dialect: CsvDialect,
  scan: CsvScan,
  part: string,
): Promise<MalformedRecord[]> {
  const columns = uniqueNames(scan.header);
  const skipped = [...scan.malformed, ...scan.footer].sort((a, b) => a.seq - b.seq);
  if (scan.headerLine === 1) {
    const rejected = await readIntoTable(
      db,
      { path: file, file },
      dialect,
      columns,
      part,
      ordinalSteps(scan, skipped),
    ).catch(() => undefined);
    if (rejected && (await agreesWithScan(db, part, scan, skipped, rejected))) return [];
  }
  const dir = await mkdtemp(join(db.scratchDir ?? tmpdir(), 'pulse-csv-'));
  try {
    const copy = join(dir, 'numbered.csv');
    await writeNumberedCopy(file, dialect, new Set(skipped.map((m) => m.seq)), copy);
    const rejected = await readIntoTable(
      db,
      { path: copy, file },
      dialect,
      columns,
      part,
      numberedSteps(scan),
    );
    return await reconcile(db, part, scan, new Set(skipped.map((m) => m.seq)), rejected);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface DuckDbReject {
  readonly text: string;
  readonly message: string;
}

/**
 * How DuckDB's rows get their record number and line: from `k` (the row's ordinal, or the
 * record number of a numbered copy), rec = k + recOffset and line = k + lineOffset of the last
 * step at or before k. Offsets change after skipped records, blank lines and line breaks
 * inside quoted fields.
 */
interface Steps {
  readonly numbered: boolean;
  readonly steps: readonly { readonly k: number; readonly recOffset: number; readonly lineOffset: number }[];
}

function ordinalSteps(scan: CsvScan, skipped: readonly MalformedRecord[]): Steps {
  const steps: { k: number; recOffset: number; lineOffset: number }[] = [];
  let next = 0;
  let breakIndex = 0;
  let delta = 1;
  let k = 0;
  for (let seq = 1; seq <= scan.records + scan.footer.length; seq++) {
    while (breakIndex < scan.breaks.length && (scan.breaks[breakIndex]?.seq ?? 0) <= seq) {
      delta = scan.breaks[breakIndex++]?.delta ?? delta;
    }
    if (skipped[next]?.seq === seq) {
      next++;
      continue;
    }
    k++;
    const last = steps.at(-1);
    if (last?.recOffset !== seq - k || last.lineOffset !== seq + delta - k) {
      steps.push({ k, recOffset: seq - k, lineOffset: seq + delta - k });
    }
  }
  return { numbered: false, steps };
}

function numberedSteps(scan: CsvScan): Steps {
  return { numbered: true, steps: scan.breaks.map((b) => ({ k: b.seq, recOffset: 0, lineOffset: b.delta })) };
}

// DuckDB must have read every well-formed record and rejected exactly the others, in order.
async function agreesWithScan(
  db: Database,
  part: string,
  scan: CsvScan,
  skipped: readonly MalformedRecord[],
  rejected: readonly DuckDbReject[],
): Promise<boolean> {
  const [count] = await db.rows(`SELECT count(*) AS n FROM ${quoteIdent(part)}`);
  if (Number(count?.n) !== scan.records + scan.footer.length - skipped.length) return false;
  if (rejected.length !== skipped.length) return false;
  const start = (text: string) => text.replace(/^[\r\n]+/, '').slice(0, 40);
  return rejected.every((r, i) => start(r.text) === start(skipped[i]?.raw ?? ''));
}

async function readIntoTable(
  db: Database,
  { path, file }: { readonly path: string; readonly file: string },
  dialect: CsvDialect,
  columns: readonly string[],
  part: string,
  { numbered, steps }: Steps,
): Promise<DuckDbReject[]> {
  const rejects = `__rejects_${randomUUID().slice(0, 8)}`;
  const types = [...(numbered ? ['__rec'] : []), ...columns]
    .map((name, i) => `${quoteLiteral(name)}: ${numbered && i === 0 ? "'BIGINT'" : "'VARCHAR'"}`)
    .join(', ');
  const reader = `read_csv(${quoteLiteral(path)}, header = true, auto_detect = false, columns = {${types}},
      delim = ${quoteLiteral(dialect.delimiter)}, quote = '"', escape = '"', strict_mode = true,
      null_padding = false, max_line_size = ${MAX_RECORD_BYTES * 4},
      encoding = ${quoteLiteral(dialect.encoding)}, store_rejects = true,
      rejects_table = ${quoteLiteral(rejects)}, rejects_scan = ${quoteLiteral(`${rejects}_scan`)})`;
  const rows = numbered
    ? `(SELECT __rec AS __k, * EXCLUDE (__rec) FROM ${reader})`
    : `(SELECT row_number() OVER () AS __k, * FROM ${reader})`;
  const stepTable = `${part}_steps`;
  let offsets = { rec: String(steps[0]?.recOffset ?? 0), line: String(steps[0]?.lineOffset ?? 1), join: '' };
  if (steps.length > 1) {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(stepTable)} (k BIGINT, rec_offset BIGINT, line_offset BIGINT)`,
    );
    const appender = await db.connection.createAppender(stepTable, 'main', 'temp');
    for (const step of steps) {
      appender.appendBigInt(BigInt(step.k));
      appender.appendBigInt(BigInt(step.recOffset));
      appender.appendBigInt(BigInt(step.lineOffset));
      appender.endRow();
    }
    appender.closeSync();
    offsets = {
      rec: 's.rec_offset',
      line: 's.line_offset',
      join: `ASOF JOIN ${quoteIdent(stepTable)} s ON r.__k >= s.k`,
    };
  }
  try {
    // Read first, join after: an ASOF join straight over the CSV scan is several times slower.
    await db.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(part)} AS SELECT * FROM ${rows}`);
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(part)} AS
       SELECT ${quoteLiteral(file)} AS __file, r.__k + ${offsets.rec} AS __rec, r.__k + ${offsets.line} AS __loc,
              r.* EXCLUDE (__k)
       FROM ${quoteIdent(part)} r ${offsets.join}`,
    );
    const found = await db.rows(
      `SELECT any_value(csv_line)::VARCHAR AS text, any_value(error_message)::VARCHAR AS message
       FROM ${quoteIdent(rejects)} GROUP BY line ORDER BY min(byte_position)`,
    );
    return found.map((r) => ({ text: String(r.text ?? ''), message: String(r.message ?? '') }));
  } catch (error) {
    throw new PulseError('data_invalid', `${file}: cannot be read as CSV: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await db.run(
      `DROP TABLE IF EXISTS ${quoteIdent(rejects)}; DROP TABLE IF EXISTS ${quoteIdent(`${rejects}_scan`)};
       DROP TABLE IF EXISTS ${quoteIdent(stepTable)}`,
    );
  }
}

// DuckDB rejected records of the numbered copy, or swallowed some: say so for each of them.
async function reconcile(
  db: Database,
  part: string,
  scan: CsvScan,
  known: ReadonlySet<number>,
  rejected: readonly DuckDbReject[],
): Promise<MalformedRecord[]> {
  const [count] = await db.rows(`SELECT count(*) AS n FROM ${quoteIdent(part)}`);
  const expected = [...known].filter((seq) => seq <= scan.records).length;
  if (Number(count?.n) + expected === scan.records && rejected.length === 0) return [];
  const read = new Set((await db.rows(`SELECT __rec FROM ${quoteIdent(part)}`)).map((r) => Number(r.__rec)));
  const messages = new Map<number, DuckDbReject>();
  for (const reject of rejected) {
    const seq = Number(/^[\r\n]*(\d+)/.exec(reject.text)?.[1]);
    if (Number.isInteger(seq)) messages.set(seq, reject);
  }
  const out: MalformedRecord[] = [];
  for (let seq = 1; seq <= scan.records; seq++) {
    if (known.has(seq) || read.has(seq)) continue;
    const reject = messages.get(seq);
    out.push({
      seq,
      line: lineOf(scan, seq),
      lines: 1,
      fields: 0,
      error: 'unreadable',
      detail: reject
        ? `DuckDB cannot read it: ${reject.message}`
        : 'DuckDB cannot read it (a quote in an earlier record may not be closed)',
      raw: (reject?.text ?? '').replace(/^[\r\n]*\d+./, '').slice(0, 200),
    });
  }
  return out;
}

function lineOf(scan: CsvScan, seq: number): number {
  let delta = 1;
  for (const b of scan.breaks) if (b.seq <= seq) delta = b.delta;
  return seq + delta;
}

/** Header names as DuckDB needs them: non-empty and distinct ignoring case. */
function uniqueNames(header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((name, i) => {
    // Names starting with __ are the loader's own (__file, __rec, __loc).
    let unique = name === '' ? `column${i + 1}` : name.startsWith('__') ? `x${name}` : name;
    for (let n = 1; seen.has(unique.toLowerCase()); n++) unique = `${name}_${n}`;
    seen.add(unique.toLowerCase());
    return unique;
  });
}
