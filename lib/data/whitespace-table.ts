// Files whose columns are separated by runs of spaces or tabs, without quoting (CDNOW's
// `customer id, yyyymmdd, CDs, dollars`): read line by line, every line accounted for. A row's
// record number is its line number, so a rejected row is found again by its line.

import { createReadStream } from 'node:fs';
import { PulseError } from '../errors.ts';
import { RAW_TEXT_LIMIT, type WhitespaceLayout } from './csv-scan.ts';
import type { LoadedCsv } from './csv-table.ts';
import { MAX_RECORD_BYTES } from './csv-tokenizer.ts';
import type { Database } from './database.ts';
import type { TableSource } from './discover.ts';
import type { MalformedRow } from './malformed-row.ts';
import { quoteIdent } from './sql-text.ts';

/** Reads the source's files into `relation` (__file, __rec = __loc = line, then VARCHAR columns). */
export async function loadWhitespaceFiles(
  db: Database,
  source: TableSource,
  relation: string,
  layout: WhitespaceLayout,
): Promise<LoadedCsv> {
  const malformed: MalformedRow[] = [];
  const headerProblems: { file: string; detail: string; expected?: string; hint?: string }[] = [];
  let names: readonly string[] | undefined = layout.columns;
  let records = 0;
  let appender: Awaited<ReturnType<Database['connection']['createAppender']>> | undefined;
  const start = async (columns: readonly string[]) => {
    const defs = columns.map((c) => `${quoteIdent(c)} VARCHAR`).join(', ');
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(relation)} (__file VARCHAR, __rec BIGINT, __loc BIGINT, ${defs})`,
    );
    appender = await db.connection.createAppender(relation, 'main', 'temp');
  };
  if (names) await start(names);
  for (const file of source.files) {
    let headerSeen = !layout.header;
    for await (const { line, text, error } of readLines(file, source.dialect.encoding)) {
      const fields = text.trim() === '' ? [] : text.trim().split(/[ \t]+/);
      if (fields.length === 0) continue;
      if (!headerSeen || (!layout.header && line === 1 && namesColumns(fields, names))) {
        if (headerSeen) {
          // "header": false on a file whose first line names its columns: said, not read as data.
          headerProblems.push({
            file,
            detail: 'a header line where csv.header is false',
            expected: `data on line 1 (csv.header is false), not column names: ${fields.join(' ')}`,
            hint: 'set "header": true under csv in the mapping (csv.columns still names the columns)',
          });
          break;
        }
        headerSeen = true;
        if (!names) {
          names = uniqueNames(fields);
          await start(names);
        } else if (!layout.columns && fields.join(' ') !== names.join(' ')) {
          headerProblems.push({
            file,
            detail: `its header names ${fields.join(', ')}, the first file's ${names.join(', ')}; give csv.columns to read both`,
          });
          break;
        }
        continue;
      }
      records++;
      const expected = names?.length ?? 0;
      const problem =
        error?.detail ??
        (fields.length === expected
          ? undefined
          : `${fields.length} ${fields.length === 1 ? 'field' : 'fields'} where the columns are ${expected} (${names?.join(', ')})`);
      if (problem !== undefined || !appender) {
        malformed.push({
          file,
          seq: line,
          line,
          lines: 1,
          fields: fields.length,
          error: error?.kind ?? (fields.length > expected ? 'too_many_fields' : 'too_few_fields'),
          detail: problem ?? 'no columns',
          raw: [...text].slice(0, RAW_TEXT_LIMIT).join(''),
        });
        continue;
      }
      appender.appendVarchar(file);
      appender.appendBigInt(BigInt(line));
      appender.appendBigInt(BigInt(line));
      for (const value of fields) appender.appendVarchar(value);
      appender.endRow();
    }
    if (!headerSeen) headerProblems.push({ file, detail: 'the file has no header line' });
  }
  appender?.closeSync();
  if (!names) {
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${quoteIdent(relation)} AS
       SELECT NULL::VARCHAR AS __file, NULL::BIGINT AS __rec, NULL::BIGINT AS __loc WHERE false`,
    );
  }
  return { records, malformed, headerProblems, footerLines: 0, controls: [] };
}

/** The text of some lines of a file (by line number), cut at 200 characters. */
export async function readLineTexts(
  file: string,
  encoding: 'utf-8' | 'latin-1',
  wanted: ReadonlySet<number>,
): Promise<Map<number, string>> {
  const texts = new Map<number, string>();
  if (wanted.size === 0) return texts;
  for await (const { line, text } of readLines(file, encoding)) {
    if (wanted.has(line)) texts.set(line, [...text].slice(0, RAW_TEXT_LIMIT).join(''));
    if (texts.size === wanted.size) break;
  }
  return texts;
}

interface Line {
  readonly line: number;
  readonly text: string;
  /** Why the line cannot be read, when it cannot. */
  readonly error?: { readonly kind: 'invalid_encoding' | 'line_too_long'; readonly detail: string };
}

/** Lines of a file, 1-based, without their line break (LF or CRLF). */
async function* readLines(file: string, encoding: 'utf-8' | 'latin-1'): AsyncGenerator<Line> {
  const decoder = new TextDecoder(encoding === 'latin-1' ? 'latin1' : 'utf-8', { fatal: true });
  const decode = (bytes: Buffer, line: number): Line => {
    const end = bytes.at(-1) === 13 ? bytes.length - 1 : bytes.length;
    if (end > MAX_RECORD_BYTES) {
      const detail = `longer than ${MAX_RECORD_BYTES.toLocaleString('en-US')} bytes`;
      return {
        line,
        text: bytes.subarray(0, 400).toString('latin1'),
        error: { kind: 'line_too_long', detail },
      };
    }
    try {
      return { line, text: decoder.decode(bytes.subarray(0, end)) };
    } catch {
      return {
        line,
        text: bytes.subarray(0, end).toString('latin1'),
        error: {
          kind: 'invalid_encoding',
          detail:
            'bytes that are not UTF-8; if the file is Latin-1 or Windows-1252, set "csv": {"encoding": "latin-1"} in the mapping',
        },
      };
    }
  };
  let line = 0;
  let rest: Buffer = Buffer.alloc(0);
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      let data = rest.length > 0 ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
      for (let at = data.indexOf(10); at >= 0; at = data.indexOf(10)) {
        yield decode(data.subarray(0, at), ++line);
        data = data.subarray(at + 1);
      }
      rest = data;
    }
  } catch (error) {
    throw new PulseError(
      'data_folder',
      `${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  } finally {
    stream.destroy();
  }
  if (rest.length > 0) yield decode(rest, ++line);
}

/** Header names as DuckDB needs them: non-empty and distinct ignoring case. */
/** A line of words without a digit that shares a name with the columns: a header line. */
function namesColumns(fields: readonly string[], names: readonly string[] | undefined): boolean {
  const lower = new Set(names?.map((n) => n.toLowerCase()));
  return fields.every((f) => !/\d/.test(f)) && fields.some((f) => lower.has(f.toLowerCase()));
}

function uniqueNames(header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((name) => {
    let unique = name.startsWith('__') ? `x${name}` : name;
    for (let n = 1; seen.has(unique.toLowerCase()); n++) unique = `${name}_${n}`;
    seen.add(unique.toLowerCase());
    return unique;
  });
}
