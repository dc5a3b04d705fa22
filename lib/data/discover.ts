import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PulseError } from '../errors.ts';
import { TABLE_NAMES, type TableName } from './contract.ts';

export type TableFormat = 'csv' | 'parquet' | 'parquet-folder';

export interface TableSource {
  readonly table: TableName;
  readonly format: TableFormat;
  /** The file, or the folder for a folder of Parquet files. */
  readonly path: string;
  /** Every Parquet file of a folder (sorted), or the single file. */
  readonly files: readonly string[];
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
    return { table: name as TableName, format: 'parquet-folder', path, files };
  }
  const match = /^(.+)\.(csv|parquet)$/i.exec(name);
  if (!match?.[1] || !match[2] || !KNOWN.has(match[1])) return undefined;
  const format = match[2].toLowerCase() as 'csv' | 'parquet';
  if ((await stat(path)).size === 0) {
    throw new PulseError('data_folder', `${path} is empty; a ${format} table needs at least a header`);
  }
  return { table: match[1] as TableName, format, path, files: [path] };
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
