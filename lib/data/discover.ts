import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PulseError } from '../errors.ts';
import { TABLE_NAMES, type TableName } from './contract.ts';
import type { CsvDialect } from './csv-scan.ts';
import { listFiles, matchFiles } from './glob.ts';
import { keyPart, type Mapping, type TableMapping } from './mapping.ts';
import type { Problem } from './problems.ts';

export type TableFormat = 'csv' | 'parquet' | 'parquet-folder';

export interface TableSource {
  readonly table: TableName;
  readonly format: TableFormat;
  /** The file, or the folder for a folder of Parquet files. */
  readonly path: string;
  /** Every Parquet file of a folder (sorted), or the single file, or every file a mapping names. */
  readonly files: readonly string[];
  readonly dialect: CsvDialect;
  /** How the export becomes the contract table, when a mapping file says. */
  readonly mapping?: TableMapping;
}

export const DEFAULT_DIALECT: CsvDialect = { delimiter: ',', encoding: 'utf-8' };

/**
 * The tables of a data folder: those a mapping names from its files, and the others by their
 * contract names. A mapped table whose pattern matches nothing is absent (with a warning);
 * a mapping none of whose patterns matches anything is pointed at the wrong folder.
 */
export async function discoverSources(
  dataDir: string,
  mapping: Mapping | undefined,
): Promise<{ sources: TableSource[]; problems: Problem[] }> {
  const named = await discoverTables(dataDir);
  if (!mapping) return { sources: named, problems: [] };
  const files = await listFiles(dataDir);
  const problems: Problem[] = [];
  const mapped: TableSource[] = [];
  for (const table of mapping.tables.values()) {
    const matched = matchFiles(files, table.files);
    if (matched.length === 0) {
      problems.push({
        severity: 'warning',
        rule: 'mapping',
        table: table.table,
        file: mapping.file,
        column: `${table.key}.files`,
        expected: `a file matching ${table.files.map((f) => JSON.stringify(f)).join(' or ')} in ${dataDir} (found: ${files.slice(0, 12).join(', ') || 'no files'}${files.length > 12 ? ', ...' : ''})`,
        count: 0,
        examples: [],
        hint: `the table is absent; change ${table.key}.files if the export is there under another name`,
      });
      continue;
    }
    mapped.push(mappedSource(dataDir, table, matched, mapping.file));
  }
  if (mapped.length === 0) {
    throw new PulseError(
      'data_folder',
      `${mapping.file}: none of its tables' files is in ${dataDir} (${[...mapping.tables.values()].map((t) => `${t.key}.files ${JSON.stringify(t.files)}`).join('; ')}; found: ${files.slice(0, 12).join(', ') || 'no files'}); pass the export's folder with --data DIR`,
    );
  }
  // A table the mapping names comes from the mapping only, even when its pattern matched nothing.
  const sources = [...mapped, ...named.filter((source) => !mapping.tables.has(source.table))];
  return { sources: TABLE_NAMES.flatMap((t) => sources.filter((s) => s.table === t)), problems };
}

function mappedSource(
  dataDir: string,
  table: TableMapping,
  matched: readonly string[],
  file: string,
): TableSource {
  const formats = new Set(matched.map((f) => (f.toLowerCase().endsWith('.parquet') ? 'parquet' : 'csv')));
  if (formats.size > 1) {
    throw new PulseError(
      'usage',
      `${file}: ${table.key}${keyPart('files')} matches both CSV and Parquet files (${matched.join(', ')}); name one kind`,
    );
  }
  const paths = matched.map((f) => join(dataDir, f));
  return {
    table: table.table,
    format: formats.has('parquet') ? 'parquet' : 'csv',
    path: paths.length === 1 ? (paths[0] as string) : join(dataDir, table.files.join(',')),
    files: paths,
    dialect: table.csv,
    mapping: table,
  };
}

const KNOWN = new Set<string>(TABLE_NAMES);

/**
 * Finds the contract tables in a data folder. A table is NAME.csv, NAME.parquet or a folder
 * NAME/ of Parquet files (hive partitions allowed); two forms of one table is an error.
 */
export async function discoverTables(dataDir: string): Promise<TableSource[]> {
  const entries = await readdir(dataDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new PulseError(
      'data_folder',
      `data folder ${dataDir} cannot be read (${error.code ?? error.message}); pass --data DIR or set PULSE_DATA`,
    );
  });
  const found = new Map<TableName, TableSource[]>();
  for (const entry of entries) {
    const source = await classify(dataDir, entry.name, entry.isDirectory());
    if (source) found.set(source.table, [...(found.get(source.table) ?? []), source]);
  }
  const sources: TableSource[] = [];
  for (const table of TABLE_NAMES) {
    const forms = found.get(table) ?? [];
    if (forms.length > 1) {
      throw new PulseError(
        'data_folder',
        `${dataDir}: table ${table} is given ${forms.length} times (${forms.map((f) => f.path).join(', ')}); keep exactly one of ${table}.csv, ${table}.parquet or ${table}/`,
      );
    }
    if (forms[0]) sources.push(forms[0]);
  }
  return sources;
}

async function classify(
  dataDir: string,
  name: string,
  isDirectory: boolean,
): Promise<TableSource | undefined> {
  const path = join(dataDir, name);
  if (isDirectory) {
    if (!KNOWN.has(name)) return undefined;
    const files = (await listParquet(path)).sort();
    if (files.length === 0) {
      throw new PulseError(
        'data_folder',
        `${path}/ holds no .parquet files; a table folder must hold Parquet files`,
      );
    }
    return { table: name as TableName, format: 'parquet-folder', path, files, dialect: DEFAULT_DIALECT };
  }
  const match = /^(.+)\.(csv|parquet)$/i.exec(name);
  if (!match?.[1] || !match[2] || !KNOWN.has(match[1])) return undefined;
  const format = match[2].toLowerCase() as 'csv' | 'parquet';
  if ((await stat(path)).size === 0) {
    throw new PulseError('data_folder', `${path} is empty; a ${format} table needs at least a header`);
  }
  return { table: match[1] as TableName, format, path, files: [path], dialect: DEFAULT_DIALECT };
}

async function listParquet(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listParquet(path)));
    else if (entry.name.toLowerCase().endsWith('.parquet')) out.push(path);
  }
  return out;
}
