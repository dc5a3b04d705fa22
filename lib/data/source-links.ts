// Nothing outside the data folder is read. DuckDB's allowed folders refuse a symbolic link that
// leaves the folder once the connection is locked; the files are first read before the lock,
// so the same rule is applied here, to each file with its links resolved as the OS resolves them.

import { realpathSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { PulseError } from '../errors.ts';
import type { TableSource } from './discover.ts';

export function assertSourcesInside(dataDir: string, sources: readonly TableSource[]): void {
  const folder = realpathSync(dataDir);
  for (const source of sources) {
    for (const file of source.files) {
      let real: string;
      try {
        real = realpathSync(file);
      } catch {
        throw new PulseError(
          'data_folder',
          `${file} is a symbolic link to a file that does not exist; replace it with the file itself`,
        );
      }
      const rel = relative(folder, real);
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
        throw new PulseError(
          'data_folder',
          `${file} is a symbolic link to ${real}, outside the data folder ${dataDir}; only files inside the data folder are read. Copy the file into the folder instead of linking it`,
        );
    }
  }
}
