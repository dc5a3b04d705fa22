// The files of a data folder that no table reads, each with the reason: an export nobody
// mapped must not pass `pulse check` silently as "0 tables, 0 errors".

import { join, relative, sep } from 'node:path';
import { TABLE_NAMES, type TableName } from './contract.ts';
import type { TableSource } from './discover.ts';
import { listFiles } from './glob.ts';
import type { Mapping } from './mapping.ts';
import type { Problem } from './problems.ts';

export type UnusedReason =
  /** Not .csv or .parquet (and no mapping key names it). */
  | 'not_csv_or_parquet'
  /** No mapping: the name is not a contract table's. */
  | 'not_a_table_name'
  /** A mapping is used, but none of its keys' files matches, nor is it named after a table. */
  | 'no_mapping_key'
  /** Named after a contract table the mapping reads from other files (or derives). */
  | 'table_mapped_elsewhere'
  /** Named after a contract table, but in a subfolder: only the folder's own files are read by name. */
  | 'in_subfolder';

export interface UnusedFile {
  /** Relative to the data folder, with `/`. */
  readonly file: string;
  readonly reason: UnusedReason;
  /** The reason in words. */
  readonly why: string;
}

const KNOWN = new Set<string>(TABLE_NAMES);
const TABLE_FILES = 'customers.csv, orders.csv, opportunities.csv, ...';

/**
 * Every file under the data folder (as discovery looks: subfolders too, hidden files and
 * folders skipped) that no table reads. Files a problem already names (an empty table file)
 * and files inside a table's Parquet folder are not listed.
 */
export async function listUnusedFiles(
  dataDir: string,
  sources: readonly TableSource[],
  mapping: Mapping | undefined,
  problems: readonly Problem[],
): Promise<UnusedFile[]> {
  const rel = (path: string) => relative(dataDir, path).split(sep).join('/');
  const used = new Set(sources.flatMap((s) => s.files.map(rel)));
  const tableFolders = sources.filter((s) => s.format === 'parquet-folder').map((s) => `${rel(s.path)}/`);
  const named = problems.map((p) => p.file);
  const out: UnusedFile[] = [];
  for (const file of await listFiles(dataDir).catch(() => [])) {
    const path = join(dataDir, file);
    if (file.split('/').some((part) => part.startsWith('.')) || used.has(file)) continue;
    if (tableFolders.some((f) => file.startsWith(f))) continue;
    if (named.some((n) => n === path || (n.endsWith('/') && path.startsWith(n)))) continue;
    const match = /^(.+)\.(csv|parquet)$/i.exec(file.split('/').at(-1) ?? file);
    const table = match?.[1] && KNOWN.has(match[1]) ? (match[1] as TableName) : undefined;
    const mapped = table ? mapping?.tables.get(table) : undefined;
    const derived = table ? mapping?.derived.get(table) : undefined;
    if (mapped || derived) {
      out.push({
        file,
        reason: 'table_mapped_elsewhere',
        why: `named after ${table}, which the mapping ${derived ? `derives from ${derived.from}` : `reads from ${mapped?.files.map((f) => JSON.stringify(f)).join(' or ')}`}`,
      });
    } else if (table && file.includes('/')) {
      out.push({
        file,
        reason: 'in_subfolder',
        why: `named after ${table}, but in a subfolder: only files directly in the data folder are read by their names (a mapping's files may name sub/paths)`,
      });
    } else if (!match) {
      out.push({
        file,
        reason: 'not_csv_or_parquet',
        why: mapping
          ? "not CSV or Parquet by its name, and no mapping key's files matches it"
          : 'not CSV or Parquet by its name, and no --mapping names it (a mapping can read it as CSV or whitespace-separated)',
      });
    } else if (mapping) {
      out.push({
        file,
        reason: 'no_mapping_key',
        why: `no mapping key's files matches it (${[...mapping.tables.values()].map((t) => `${t.key}.files ${JSON.stringify(t.files)}`).join('; ')}), and it is not named after a contract table`,
      });
    } else {
      out.push({
        file,
        reason: 'not_a_table_name',
        why: `not named after a contract table (${TABLE_FILES}) and no --mapping names it`,
      });
    }
  }
  return out;
}

/** An error when the folder yields no table at all: nothing could be checked or computed. */
export function noTablesProblem(
  dataset: { readonly dataDir: string; readonly tables: readonly unknown[]; readonly mapping?: string },
  unused: readonly UnusedFile[],
): Problem | undefined {
  if (dataset.tables.length > 0) return undefined;
  return {
    severity: 'error',
    rule: 'no_tables',
    table: '(data folder)',
    file: dataset.dataDir,
    expected: `files named after contract tables (${TABLE_FILES}) or a --mapping naming the export's files; ${
      unused.length === 0
        ? 'the folder holds no file'
        : `${unused.length === 1 ? 'its 1 file is' : `its ${unused.length} files are`} not used (listed above)`
    }`,
    count: 0,
    examples: [],
    hint: dataset.mapping
      ? `change the mapping's files to name the export's files (see mappings/README.md)`
      : 'pass --mapping with a preset (salesforce, hubspot, pipedrive) or a mapping file of your own (mappings/README.md), as suggested for each file above; or rename the files after the contract tables',
  };
}
