import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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
  const { sources: named, problems: namedProblems } = await discoverTables(dataDir);
  if (!mapping) return { sources: named, problems: namedProblems };
  const files = await listFiles(dataDir);
  // A table the mapping names (or derives) is not read by its contract name, so neither are its problems.
  const byMapping = new Set<string>([...mapping.tables.keys(), ...mapping.derived.keys()]);
  const problems = namedProblems.filter((p) => !byMapping.has(p.table));
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
  const sources = [...mapped, ...named.filter((source) => !byMapping.has(source.table))];
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
 * NAME/ of Parquet files (hive partitions allowed); two forms of one table is an error. An
 * empty file, or a folder named like a table's file, is a problem of its own, listed with the
 * others instead of stopping `pulse check`.
 */
export async function discoverTables(
  dataDir: string,
): Promise<{ sources: TableSource[]; problems: Problem[] }> {
  const entries = await readdir(dataDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    throw new PulseError(
      'data_folder',
      `data folder ${dataDir} cannot be read (${error.code ?? error.message}); pass --data DIR or set PULSE_DATA`,
    );
  });
  const found = new Map<TableName, TableSource[]>();
  const problems: Problem[] = [];
  for (const entry of entries) {
    const source = await classify(dataDir, entry.name, entry.isDirectory());
    if (source && 'severity' in source) problems.push(source);
    else if (source) found.set(source.table, [...(found.get(source.table) ?? []), source]);
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
  return { sources, problems };
}

async function classify(
  dataDir: string,
  name: string,
  isDirectory: boolean,
): Promise<TableSource | Problem | undefined> {
  const path = join(dataDir, name);
  const match = /^(.+)\.(csv|parquet)$/i.exec(name);
  const table = match?.[1] && KNOWN.has(match[1]) ? (match[1] as TableName) : undefined;
  const format = match?.[2]?.toLowerCase() as 'csv' | 'parquet' | undefined;
  if (isDirectory && table && format) return folderNamedAsFile(path, table, format);
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
  if (!table || !format) return undefined;
  // A dangling link has no size: source-links.ts says what it is once the sources are known.
  const size = (await stat(path).catch(() => undefined))?.size;
  if (size === 0) return emptyFile(path, table, format);
  return { table, format, path, files: [path], dialect: DEFAULT_DIALECT };
}

/** 0 bytes: an export that failed, most likely. The table is left out and KPIs refuse to run. */
function emptyFile(path: string, table: TableName, format: 'csv' | 'parquet'): Problem {
  return {
    severity: 'error',
    rule: 'empty_file',
    table,
    file: path,
    expected:
      format === 'csv'
        ? 'a header line naming the columns, then one line per row; the file has 0 bytes'
        : 'a Parquet file; the file has 0 bytes',
    count: 0,
    examples: [],
    hint: `export ${table} again; if there is nothing to export, delete ${path}: an absent table only makes the KPIs that need it unavailable`,
  };
}

/** `campaigns.csv/`: a folder where the table's file should be; the table is absent. */
function folderNamedAsFile(path: string, table: TableName, format: 'csv' | 'parquet'): Problem {
  return {
    severity: 'warning',
    rule: 'not_a_file',
    table,
    file: `${path}/`,
    expected: `a file named ${basename(path)}, found a folder; ${table} is absent`,
    count: 0,
    examples: [],
    hint:
      format === 'csv'
        ? `move the CSV file inside it to ${path} (replacing the folder), or rename the folder if it is not the ${table} table`
        : `rename the folder to ${join(dirname(path), table)}/ (a table's folder of Parquet files is named after the table), or put the single Parquet file at ${path}`,
  };
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
