// The rejected rows of an open dataset, each with its reason and its text as the file holds it.

import { RAW_TEXT_LIMIT, readRecordTexts } from './csv-scan.ts';
import type { Dataset } from './dataset.ts';
import { REJECTED_TABLE, type RejectedRow } from './rejects.ts';
import { quoteIdent, quoteLiteral } from './sql-text.ts';
import { readLineTexts } from './whitespace-table.ts';

/** Every rejected row (or the first `limit`) with its reason and its text in the file. */
export async function readRejectedRows(
  dataset: Dataset,
  limit = Number.POSITIVE_INFINITY,
): Promise<RejectedRow[]> {
  const order = new Map<string, number>(dataset.tables.map((t, i) => [t.table, i]));
  const found = await dataset.db.rows(
    `SELECT tbl, file, rec, loc, rule, error, col, value, detail FROM ${REJECTED_TABLE} ORDER BY file, loc, rule`,
  );
  found.sort((a, b) => (order.get(String(a.tbl)) ?? 0) - (order.get(String(b.tbl)) ?? 0));
  const rows = Number.isFinite(limit) ? found.slice(0, limit) : found;
  const texts = await readTexts(dataset, rows);
  const expected = new Map<string, string>(
    dataset.problems.map((p) => [`${p.table}|${p.rule}|${p.column ?? ''}`, p.expected]),
  );
  return rows.map((r) => {
    const table = String(r.tbl);
    const rule = String(r.rule);
    const column = r.col === null ? undefined : String(r.col);
    const value = r.value === null ? null : String(r.value);
    const raw = rule === 'malformed_line' ? String(value ?? '') : (texts.get(`${r.file}|${r.rec}`) ?? '');
    const message =
      rule === 'malformed_line'
        ? String(r.detail ?? '')
        : `${value === null ? 'empty value' : JSON.stringify(value)}, expected ${expected.get(`${table}|${rule}|${column ?? ''}`) ?? rule}`;
    return {
      table,
      file: String(r.file),
      line: Number(r.loc),
      ...(column ? { column } : {}),
      error: String(r.error),
      message,
      raw,
    };
  });
}

// The text of the rows rejected for their values: read again from the CSV files (or, for
// Parquet, the row as JSON), since only the rejected ones are ever needed.
async function readTexts(
  dataset: Dataset,
  rows: readonly Record<string, unknown>[],
): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const wanted = new Map<string, Set<number>>();
  for (const r of rows) {
    if (r.rule === 'malformed_line') continue;
    const file = String(r.file);
    const set = wanted.get(file) ?? new Set<number>();
    set.add(Number(r.rec));
    wanted.set(file, set);
  }
  for (const [file, seqs] of wanted) {
    const source = dataset.sources.find((s) => s.files.includes(file));
    if (!source) continue;
    if (source.format === 'csv') {
      const read = source.dialect.whitespace
        ? readLineTexts(file, source.dialect.encoding, seqs)
        : readRecordTexts(file, source.dialect, seqs);
      for (const [seq, text] of await read) texts.set(`${file}|${seq}`, text);
      continue;
    }
    const list = [...seqs].join(', ');
    const found = await dataset.db.rows(
      `SELECT __rec, to_json(r)::VARCHAR AS j FROM (SELECT * FROM ${quoteIdent(`__raw_${source.table}`)}
       WHERE __file = ${quoteLiteral(file)} AND __rec IN (${list})) r`,
    );
    for (const row of found) {
      const json = String(row.j).replace(/"__(file|rec|loc)":(?:"[^"]*"|\d+),?/g, '');
      texts.set(`${file}|${row.__rec}`, [...json].slice(0, RAW_TEXT_LIMIT).join(''));
    }
  }
  return texts;
}
