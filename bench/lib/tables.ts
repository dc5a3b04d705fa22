// The tables of a data folder as plain DuckDB relations, with no project code: what a person
// would type to query the files directly.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TABLE_NAMES } from '../../lib/data/contract.ts';

export interface TableFiles {
  readonly table: string;
  /** `read_parquet(...)` or `read_csv(...)` over the table's file or folder. */
  readonly relation: string;
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Every contract table present in `dataDir`: NAME.parquet, NAME/ (hive folders) or NAME.csv. */
export function tableFiles(dataDir: string): TableFiles[] {
  const found: TableFiles[] = [];
  for (const table of TABLE_NAMES) {
    const folder = join(dataDir, table);
    if (existsSync(folder) && statSync(folder).isDirectory()) {
      found.push({
        table,
        relation: `read_parquet(${quote(join(folder, '**', '*.parquet'))}, hive_partitioning = true)`,
      });
    } else if (existsSync(`${folder}.parquet`)) {
      found.push({ table, relation: `read_parquet(${quote(`${folder}.parquet`)})` });
    } else if (existsSync(`${folder}.csv`)) {
      found.push({ table, relation: `read_csv(${quote(`${folder}.csv`)}, header = true)` });
    }
  }
  return found;
}

/** Every file under `dir`, for warming the page cache. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}
