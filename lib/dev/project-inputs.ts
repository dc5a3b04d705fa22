// What a preview run reads, loaded once and reloaded only when its folder changed: the dataset
// (with the query cache in front of it), the KPI catalog, the templates and the report module.
// A reload that fails stays marked, so the next run tries it again and the last good one stays.

import { type Dataset, type OpenDatasetOptions, openDataset } from '../data/dataset.ts';
import { dataAsOf, readFreshness } from '../data/freshness.ts';
import { PulseError } from '../errors.ts';
import { type Catalog, readCatalog } from '../kpi/catalog.ts';
import { reloadTemplates } from '../render/templates.ts';
import type { ReportDefinition } from '../report/define.ts';
import { loadReport } from '../report/load-report.ts';
import { readReportNames } from '../report/report-name.ts';
import { type DevRoots, shortPath } from './dev-roots.ts';
import { QueryCache } from './query-cache.ts';
import type { ChangeKind } from './watch.ts';

export interface Loaded {
  /** Queries of preview runs go through the cache. */
  readonly dataset: Dataset;
  readonly catalog: Catalog;
  readonly definition: ReportDefinition;
  /** How long reloading the data and the catalog took this time (0: not reloaded). */
  readonly datasetMs: number;
  readonly catalogMs: number;
}

export class ProjectInputs {
  readonly queryCache = new QueryCache();
  private readonly dirty = new Set<ChangeKind>(['data', 'queries', 'templates', 'reports']);
  private dataset: Dataset | undefined;
  private cachedDataset: Dataset | undefined;
  private catalogLoaded: Catalog | undefined;
  private definitionLoaded: ReportDefinition | undefined;
  /** The report names in reports/, as of the last reload. */
  reports: readonly string[] = [];
  /** The latest event date in the data. */
  asOf: string | null = null;
  /**
   * The clock when the data was loaded: the data was validated against it, and runs use it too,
   * so the queries that depend on it (freshness) stay cached until the data changes.
   */
  now = '';

  constructor(
    private readonly roots: DevRoots,
    private readonly open: {
      readonly timeZone: string;
      readonly clock: () => string;
      /** How to read the data folder beyond its path: a mapping, rejects (as `pulse report`). */
      readonly dataset?: Omit<OpenDatasetOptions, 'dataDir' | 'timeZone' | 'now'>;
    },
  ) {}

  /** The report module loaded last, even when the file cannot be loaded now. */
  get definition(): ReportDefinition | undefined {
    return this.definitionLoaded;
  }

  markChanged(kind: ChangeKind): void {
    this.dirty.add(kind);
  }

  isChanged(kind: ChangeKind): boolean {
    return this.dirty.has(kind);
  }

  /** Everything a run of `report` needs, reloading what changed. */
  async load(report: string | undefined): Promise<Loaded & { report: string }> {
    const datasetMs = await this.reloadData();
    const catalogMs = await this.reloadCatalog();
    if (this.dirty.has('templates')) {
      reloadTemplates(this.roots.templatesDir);
      this.dirty.delete('templates');
    }
    if (this.dirty.has('reports') || !this.definitionLoaded) {
      this.reports = await readReportNames(this.roots.reportsDir);
      const name = report ?? (this.reports.includes('monthly') ? 'monthly' : this.reports[0]);
      if (!name)
        throw new PulseError('usage', `no report in ${shortPath(this.roots.reportsDir, this.roots)}/`);
      this.definitionLoaded = await loadReport(name, { reportsDir: this.roots.reportsDir, fresh: true });
      this.dirty.delete('reports');
    }
    const { cachedDataset: dataset, catalogLoaded: catalog, definitionLoaded: definition } = this;
    if (!dataset || !catalog || !definition) throw new PulseError('usage', 'nothing to preview yet');
    return { dataset, catalog, definition, report: definition.name, datasetMs, catalogMs };
  }

  /** The dataset itself, without the cache: for the scratchpad's ad-hoc SQL. */
  async data(): Promise<Dataset> {
    await this.reloadData();
    if (!this.dataset) throw new PulseError('data_folder', 'the data is not loaded');
    return this.dataset;
  }

  async catalog(): Promise<Catalog> {
    await this.reloadCatalog();
    if (!this.catalogLoaded) throw new PulseError('kpi_header', 'the KPI catalog is not loaded');
    return this.catalogLoaded;
  }

  close(): void {
    this.dataset?.close();
    this.dataset = undefined;
    this.cachedDataset = undefined;
  }

  private async reloadData(): Promise<number> {
    if (!this.dirty.has('data') && this.dataset) return 0;
    const started = performance.now();
    this.close();
    this.queryCache.clear();
    const now = this.open.clock();
    const dataset = await openDataset({
      ...this.open.dataset,
      dataDir: this.roots.dataDir,
      timeZone: this.open.timeZone,
      now,
    });
    this.dataset = dataset;
    this.cachedDataset = { ...dataset, db: this.queryCache.wrap(dataset.db) };
    this.now = now;
    this.asOf = dataAsOf(await readFreshness(this.cachedDataset, now));
    this.dirty.delete('data');
    return performance.now() - started;
  }

  private async reloadCatalog(): Promise<number> {
    if (!this.dirty.has('queries') && this.catalogLoaded) return 0;
    const started = performance.now();
    this.catalogLoaded = await readCatalog(this.roots.queriesDir);
    this.dirty.delete('queries');
    return performance.now() - started;
  }
}
