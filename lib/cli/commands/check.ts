import { formatProblem } from '../../data/problems.ts';
import { renderTextTable } from '../../format/table.ts';
import type { CliIo, CommonOptions, ParsedFlags } from '../options.ts';
import { withDataset } from '../with-dataset.ts';

/** `pulse check [--data DIR] [--all]`: every contract problem; exit 2 on errors. */
export async function checkCommand(flags: ParsedFlags, options: CommonOptions, io: CliIo): Promise<number> {
  return withDataset(options, async (dataset) => {
    const errors = dataset.problems.filter((p) => p.severity === 'error');
    const warnings = dataset.problems.filter((p) => p.severity === 'warning');
    if (options.format === 'json') {
      io.stdout(
        `${JSON.stringify({ dataDir: dataset.dataDir, tables: dataset.tables, problems: dataset.problems }, null, 2)}\n`,
      );
    } else {
      const perTable = (table: string, severity: string) =>
        dataset.problems
          .filter((p) => p.table === table && p.severity === severity)
          .reduce((n, p) => n + p.count, 0);
      const rows = dataset.tables.map((t) => [
        t.table,
        t.rows.toLocaleString('en-US'),
        String(perTable(t.table, 'error')),
        String(perTable(t.table, 'warning')),
        t.path,
      ]);
      const columns = [
        { header: 'table' },
        { header: 'rows', align: 'right' as const },
        { header: 'errors', align: 'right' as const },
        { header: 'warnings', align: 'right' as const },
        { header: 'file' },
      ];
      const limit = flags.values.all ? Number.POSITIVE_INFINITY : 20;
      const lines = dataset.problems.flatMap((p) => formatProblem(p, limit));
      const missing = 15 - dataset.tables.length;
      io.stdout(
        [
          `${dataset.dataDir}: ${dataset.tables.length} tables${missing > 0 ? ` (${missing} contract tables absent: KPIs that need them say so)` : ''}`,
          renderTextTable(columns, rows),
          '',
          ...lines,
          ...(lines.length > 0 ? [''] : []),
          `${errors.reduce((n, p) => n + p.count, 0)} errors, ${warnings.reduce((n, p) => n + p.count, 0)} warnings${errors.length > 0 && !flags.values.all ? ' (--all lists every row)' : ''}`,
          '',
        ].join('\n'),
      );
    }
    return errors.length > 0 ? 2 : 0;
  });
}
