import type { Dataset } from '../../data/dataset.ts';
import { type ExportSuggestion, suggestMapping } from '../../data/export-sniff.ts';
import { readFreshness } from '../../data/freshness.ts';
import { readPresets } from '../../data/mapping-file.ts';
import { countOf, formatProblem, formatProblemCounts, ROW_RULES } from '../../data/problems.ts';
import { readRejectedRows } from '../../data/read-rejected-rows.ts';
import { formatRejectedRow, formatRejectSummary } from '../../data/rejects.ts';
import { noTablesProblem, type UnusedFile } from '../../data/unused-files.ts';
import { escapeControlCharacters } from '../../format/control-characters.ts';
import { renderTextTable } from '../../format/table.ts';
import { type AbsentColumn, absentColumns } from '../../kpi/absent-columns.ts';
import { blankInputProblems } from '../../kpi/blank-inputs.ts';
import { readCatalog } from '../../kpi/catalog.ts';
import type { CliIo, CommonOptions, ParsedFlags } from '../options.ts';
import { withDataset } from '../with-dataset.ts';

const SHOWN_REJECTED_ROWS = 20;
/** Unused files whose header line is read for a suggestion; a folder may hold thousands. */
const SNIFFED_FILES = 50;

/**
 * `pulse check [--data DIR] [--mapping FILE] [--all] [--format json]`: every contract problem,
 * every rejected row with its line, and how fresh each table is; exit 2 on errors.
 */
export async function checkCommand(flags: ParsedFlags, options: CommonOptions, io: CliIo): Promise<number> {
  return withDataset(options, async (dataset) => {
    // The export's own problems, files no table reads, and columns the KPIs add up that it
    // mostly leaves blank.
    const unused = await withSuggestions(dataset);
    const noTables = noTablesProblem(dataset, unused);
    const catalog = await readCatalog(options.project.queries);
    const absent = absentColumns(dataset, catalog);
    const blankInputs = await blankInputProblems(dataset, catalog);
    const problems = [...(noTables ? [noTables] : []), ...dataset.problems, ...blankInputs];
    const errors = problems.filter((p) => p.severity === 'error');
    const warnings = problems.filter((p) => p.severity === 'warning');
    const freshness = await readFreshness(dataset, options.now);
    const latest = (table: string) => freshness.find((f) => f.table === table)?.latest ?? null;
    const all = Boolean(flags.values.all) || options.format === 'json';
    const rejectedRows = await readRejectedRows(
      dataset,
      all ? Number.POSITIVE_INFINITY : SHOWN_REJECTED_ROWS,
    );
    if (options.format === 'json') {
      const report = {
        dataDir: dataset.dataDir,
        ...(dataset.mapping ? { mapping: dataset.mapping } : {}),
        ok: errors.length === 0,
        tables: dataset.tables.map((t) => ({ ...t, latest: latest(t.table) })),
        rejects: dataset.rejects,
        problems,
        unusedFiles: unused,
        absentColumns: absent,
        rejectedRows,
      };
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
      return errors.length > 0 ? 2 : 0;
    }
    const perTable = (table: string) =>
      warnings.filter((p) => p.table === table).reduce((n, p) => n + countOf(p), 0);
    const withLeftOut = dataset.tables.some((t) => t.leftOut > 0);
    const rows = dataset.tables.map((t) => [
      t.table,
      t.rows.toLocaleString('en-US'),
      t.rejected.toLocaleString('en-US'),
      String(perTable(t.table)),
      ...(withLeftOut ? [t.leftOut.toLocaleString('en-US')] : []),
      latest(t.table) ?? '-',
      t.derivedFrom ? `(from ${t.derivedFrom})` : t.path,
    ]);
    const columns = [
      { header: 'table' },
      { header: 'rows', align: 'right' as const },
      { header: 'rejected', align: 'right' as const },
      { header: 'warnings', align: 'right' as const },
      ...(withLeftOut ? [{ header: 'left out', align: 'right' as const }] : []),
      { header: 'latest' },
      { header: 'file' },
    ];
    const limit = flags.values.all ? Number.POSITIVE_INFINITY : 20;
    const lines = problems.flatMap((p) => formatProblem(p, limit));
    const missing = 15 - dataset.tables.length;
    const { rejects } = dataset;
    const rejectedLines =
      rejectedRows.length === 0
        ? []
        : [
            `rejected rows${rejects.rows > rejectedRows.length && !flags.values.all ? ` (the first ${rejectedRows.length}; --all lists every one)` : ''}: file:line:column, error, the line as written`,
            ...rejectedRows.flatMap((r) => formatRejectedRow(r).map((l) => `  ${l}`)),
            '',
          ];
    io.stdout(
      [
        `${dataset.dataDir}: ${dataset.tables.length} tables${missing > 0 ? ` (${missing} contract tables absent: KPIs that need them say so)` : ''}${dataset.mapping ? `, mapped by ${dataset.mapping}` : ''}`,
        renderTextTable(columns, rows),
        '',
        ...dataset.tables
          .filter((t) => t.footerLines > 0)
          .map(
            (t) =>
              `${t.path}: ${t.footerLines} footer lines of the export ignored (csv.footer in the mapping)`,
          ),
        ...dataset.tables
          .filter((t) => t.groups !== undefined)
          .map(
            (t) =>
              `${t.table}: ${t.rows.toLocaleString('en-US')} rows of ${t.path} grouped into ${(t.groups ?? 0).toLocaleString('en-US')} ${t.table} (group in the mapping)`,
          ),
        ...dataset.tables.flatMap((t) =>
          t.note
            ? [
                `${t.note} (the mapping's ${t.firstOrdersInExport ? '"from" and "first_orders_in_export"' : '"from"'})`,
              ]
            : [],
        ),
        ...unusedLines(unused),
        ...absentLines(absent, dataset),
        ...lines,
        ...(lines.length > 0 ? [''] : []),
        ...rejectedLines,
        `${formatProblemCounts(problems)}${errors.some((e) => ROW_RULES.has(e.rule) && e.count > e.examples.length) && !flags.values.all ? ' (--all lists every row)' : ''}`,
        ...(rejects.rows > 0
          ? [
              `${formatRejectSummary(rejects)} of ${rejects.total.toLocaleString('en-US')}: KPIs leave them out only with --allow-rejects (or PULSE_MAX_REJECT_SHARE)`,
            ]
          : []),
        '',
      ].join('\n'),
    );
    return errors.length > 0 ? 2 : 0;
  });
}

/** The files no table reads, each with the reason and, for the first few, what they look like. */
async function withSuggestions(
  dataset: Dataset,
): Promise<(UnusedFile & { readonly suggestion?: ExportSuggestion })[]> {
  if (dataset.unusedFiles.length === 0) return [];
  const presets = await readPresets();
  return Promise.all(
    dataset.unusedFiles.map(async (file, i) => {
      const suggestion =
        i < SNIFFED_FILES ? await suggestMapping(dataset.dataDir, file.file, presets) : undefined;
      return suggestion ? { ...file, suggestion } : file;
    }),
  );
}

/** Listed by name up to this many KPIs a line; the rest counted. */
const NAMED_KPIS = 6;

function absentLines(absent: readonly AbsentColumn[], dataset: Dataset): string[] {
  if (absent.length === 0) return [];
  const derived = dataset.tables.filter((t) => t.derivedFrom !== undefined);
  const grouped = dataset.tables.filter((t) => t.groups !== undefined);
  const lacking = (t: { table: string }) => absent.some((a) => a.need.startsWith(`${t.table}.`));
  const fromFile = absent.some(
    (a) => ![...derived, ...grouped].some((t) => a.need.startsWith(`${t.table}.`)),
  );
  return [
    'columns the export does not have (the KPIs that need them say "not available"):',
    ...absent.map(({ need, kpis }) => {
      const named = kpis.slice(0, NAMED_KPIS).join(', ');
      const more = kpis.length > NAMED_KPIS ? ` and ${kpis.length - NAMED_KPIS} more` : '';
      return `  ${need}: ${named}${more}`;
    }),
    ...(fromFile
      ? ['  if the export has one under another name, "rename" it in the mapping (mappings/README.md)']
      : []),
    ...grouped
      .filter(lacking)
      .map(
        (t) =>
          `  ${t.table} is grouped from lines (the mapping's "group"): add a column to its "aggregate", e.g. ${JSON.stringify({ cost: 'sum("Line Cost"::DECIMAL(38,6))' })}`,
      ),
    ...derived
      .filter(lacking)
      .map(
        (t) =>
          `  ${t.table} is derived from ${t.derivedFrom}, which holds no more: a ${t.table} file gives the others`,
      ),
    '',
  ];
}

function unusedLines(unused: readonly (UnusedFile & { readonly suggestion?: ExportSuggestion })[]): string[] {
  if (unused.length === 0) return [];
  return [
    `files not used (${unused.length}):`,
    // The names are the export's: a line break in one is shown, not followed.
    ...unused.flatMap((u) => [
      `  ${escapeControlCharacters(u.file)}: ${u.why}`,
      ...(u.suggestion ? [`    suggestion: ${escapeControlCharacters(u.suggestion.message)}`] : []),
    ]),
    '',
  ];
}
