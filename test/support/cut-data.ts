// An export taken earlier than the sample's end: every table's rows whose events all happened
// before `cut` (a day), as a CRM export written that day would hold. For stale and partial data.

import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CONTRACT } from '../../lib/data/contract.ts';

export async function cutData(sourceDir: string, cut: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-pulse-cut-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const file of await readdir(sourceDir)) {
      const table = CONTRACT.find((t) => `${t.name}.parquet` === file);
      if (!table) continue;
      const events = table.columns.filter((c) => c.event).map((c) => `"${c.name}"::DATE`);
      // greatest() skips NULLs: a row is in the export when its latest event is before the cut.
      const where =
        events.length > 0
          ? `WHERE coalesce(greatest(${events.join(', ')}), DATE '0001-01-01') < DATE '${cut}'`
          : '';
      await connection.run(
        `COPY (SELECT * FROM read_parquet('${join(sourceDir, file)}') ${where}) TO '${join(dir, file)}' (FORMAT parquet)`,
      );
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return dir;
}
