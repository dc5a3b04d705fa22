import type { TableName } from '../data/contract.ts';
import { type Dataset, openDataset } from '../data/dataset.ts';
import type { CommonOptions } from './options.ts';

/**
 * Opens the data folder for one command and always closes it. With `writeOutput`, SQL may write
 * files inside the output folder (COPY ... TO), as `pulse query` allows; with `scope`
 * ({region: 'EMEA'}), the tables hold that part of the business (lib/data/scope.ts).
 */
export async function withDataset<T>(
  options: CommonOptions,
  work: (dataset: Dataset) => Promise<T>,
  access: {
    readonly writeOutput?: boolean;
    readonly scope?: Readonly<Record<string, string>>;
    /** Only these tables are read and checked (lib/kpi/tables-read.ts). */
    readonly tables?: ReadonlySet<TableName>;
  } = {},
): Promise<T> {
  const dataset = await openDataset({
    ...(access.scope && Object.keys(access.scope).length > 0 ? { scope: access.scope } : {}),
    ...options.engine,
    ...(access.writeOutput ? { writableDirs: [options.outDir] } : {}),
    ...(access.tables ? { tables: access.tables } : {}),
    dataDir: options.dataDir,
    timeZone: options.timeZone,
    now: options.now,
    ...(options.mapping ? { mapping: options.mapping } : {}),
    allowRejects: options.allowRejects,
    maxRejectShare: options.maxRejectShare,
  });
  try {
    return await work(dataset);
  } finally {
    dataset.close();
  }
}
