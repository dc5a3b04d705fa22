// The state behind `pulse dev`: the preview's settings, the last good render and the current
// problem. Runs are serialised (one DuckDB connection, shared with the scratchpad) and coalesced
// (a burst of saves is one run); what they read comes from ProjectInputs.

import { existsSync } from 'node:fs';
import type { Dataset, OpenDatasetOptions } from '../data/dataset.ts';
import { PulseError } from '../errors.ts';
import type { Catalog } from '../kpi/catalog.ts';
import { type Grain, parsePeriod, periodArgument } from '../kpi/period.ts';
import { definePeriodMacros } from '../kpi/run.ts';
import { renderReportHtml } from '../render/report-html.ts';
import { type DevRoots, readReportNames, shortPath } from './dev-roots.ts';
import { type PreviewOptions, recentPeriods, runPreview } from './preview-run.ts';
import { type DevProblem, describeProblem } from './problem.ts';
import { ProjectInputs } from './project-inputs.ts';
import type { CacheStats } from './query-cache.ts';
import type { Changes } from './watch.ts';

export interface PreviewSessionOptions {
  readonly roots: DevRoots;
  readonly report: string | undefined;
  /** A --period text (2026-10); default the last complete period in the data. */
  readonly period?: string;
  readonly params: Readonly<Record<string, string>>;
  readonly timeZone: string;
  /** The clock (ISO instant), read when the data is loaded. */
  readonly clock: () => string;
  readonly currency: string;
  /** Digits and separators (PULSE_LOCALE); default en-US. */
  readonly locale?: string;
  /** The config's company, named before the report's title. */
  readonly company?: string;
  readonly log: (line: string) => void;
  /** How to read the data folder beyond its path (mapping, rejects). */
  readonly dataset?: Omit<OpenDatasetOptions, 'dataDir' | 'timeZone' | 'now'>;
}

/** Where the time of one run went, in ms. */
export interface RunTiming {
  readonly reason: string;
  readonly totalMs: number;
  readonly datasetMs: number;
  readonly catalogMs: number;
  readonly reportMs: number;
  readonly renderMs: number;
  readonly queries: CacheStats;
}

export interface PreviewStatus {
  /** Counts good renders; the page fetches the report when it has an older one. */
  readonly version: number;
  readonly running: boolean;
  readonly report: string | undefined;
  readonly reports: readonly string[];
  readonly title?: string;
  readonly grain?: Grain;
  /** The period shown, as --period text. */
  readonly period?: string;
  readonly periods: readonly { readonly value: string; readonly label: string }[];
  readonly params: Readonly<Record<string, string>>;
  readonly problem?: DevProblem;
  readonly timing?: RunTiming;
}

export interface PreviewSettings {
  readonly report?: string;
  /** '' goes back to the default period. */
  readonly period?: string;
  readonly params?: Readonly<Record<string, string>>;
}

export class PreviewSession {
  private readonly roots: DevRoots;
  private readonly inputs: ProjectInputs;
  private readonly listeners = new Set<(status: PreviewStatus) => void>();
  private lock: Promise<unknown> = Promise.resolve();
  private scheduled: Promise<void> | undefined;
  private report: string | undefined;
  private period: string | undefined;
  private params: Readonly<Record<string, string>>;
  private html: string | undefined;
  private version = 0;
  private running = false;
  private problem: DevProblem | undefined;
  private timing: RunTiming | undefined;
  private shownPeriod: string | undefined;
  private changed: string[] = [];

  constructor(private readonly options: PreviewSessionOptions) {
    this.roots = options.roots;
    this.inputs = new ProjectInputs(options.roots, options);
    this.report = options.report;
    this.period = options.period;
    this.params = options.params;
  }

  /** The last good render of the report, or undefined before the first. */
  get reportHtml(): string | undefined {
    return this.html;
  }

  status(): PreviewStatus {
    const { definition, reports, asOf } = this.inputs;
    return {
      version: this.version,
      running: this.running,
      report: this.report,
      reports,
      ...(definition ? { title: definition.title, grain: definition.grain } : {}),
      ...(this.shownPeriod ? { period: this.shownPeriod } : {}),
      periods: definition ? recentPeriods(definition.grain, asOf) : [],
      params: this.params,
      ...(this.problem ? { problem: this.problem } : {}),
      ...(this.timing ? { timing: this.timing } : {}),
    };
  }

  subscribe(listener: (status: PreviewStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Files changed on disk: reload what depends on them and run again. */
  changedOnDisk(changes: Changes): Promise<void> {
    for (const kind of changes.kinds) this.inputs.markChanged(kind);
    // An editor's temp file (`sed -i`'s "sedLWPzsY", renamed over the file within the burst) is
    // gone by now: the log names the files saved, and a removed one only when nothing else is.
    const saved = changes.files.filter((f) => existsSync(f));
    this.changed.push(...(saved.length > 0 ? saved : changes.files).map((f) => shortPath(f, this.roots)));
    return this.schedule();
  }

  /** The preview controls: another report, period or params. Throws on a bad value. */
  async applySettings(settings: PreviewSettings): Promise<void> {
    if (settings.report !== undefined && settings.report !== this.report) {
      const names = await readReportNames(this.roots);
      if (!names.includes(settings.report))
        throw new PulseError('usage', `no report "${settings.report}"; reports: ${names.join(', ')}`);
      this.report = settings.report;
      this.period = undefined;
      this.inputs.markChanged('reports');
    }
    if (settings.period !== undefined) {
      const span = settings.period === '' ? undefined : parsePeriod(settings.period);
      const grain = this.inputs.isChanged('reports') ? undefined : this.inputs.definition?.grain;
      if (span && grain && span.grain !== grain)
        throw new PulseError(
          'usage',
          `the ${this.report} report covers one ${grain}; ${settings.period} is a ${span.grain}`,
        );
      this.period = settings.period || undefined;
    }
    if (settings.params !== undefined) this.params = settings.params;
    this.changed.push('preview settings');
    await this.schedule();
  }

  /** Runs now, or joins the run that has not started yet (it will see every change so far). */
  schedule(): Promise<void> {
    if (this.scheduled) return this.scheduled;
    const run = this.exclusive(async () => {
      this.scheduled = undefined;
      await this.runOnce();
    });
    this.scheduled = run;
    return run;
  }

  /**
   * The open dataset, for the scratchpad, one user of the connection at a time, with the period
   * macros defined so a KPI's body runs as written. The catalog is read only when asked for: a
   * broken KPI header must not stop ad-hoc SQL.
   */
  withDataset<T>(work: (dataset: Dataset, catalog: () => Promise<Catalog>) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const dataset = await this.inputs.data();
      await definePeriodMacros(dataset.db);
      return work(dataset, () => this.inputs.catalog());
    });
  }

  /** The KPI catalog as the files are now. */
  readCatalog(): Promise<Catalog> {
    return this.exclusive(() => this.inputs.catalog());
  }

  /** The settings the scratchpad runs KPIs with: the preview's period and grain. */
  previewPeriod(): { readonly period?: string; readonly grain?: Grain; readonly asOf: string | null } {
    return {
      ...(this.shownPeriod ? { period: this.shownPeriod } : {}),
      ...(this.inputs.definition ? { grain: this.inputs.definition.grain } : {}),
      asOf: this.inputs.asOf,
    };
  }

  /** Resolves when no run is queued or running. */
  async idle(): Promise<void> {
    while (this.scheduled) await this.scheduled;
    await this.lock;
  }

  /** Waits for the run in progress, then closes the dataset. */
  async close(): Promise<void> {
    await this.idle();
    this.inputs.close();
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.lock.then(work);
    this.lock = result.catch(() => {});
    return result;
  }

  private emit(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }

  private async runOnce(): Promise<void> {
    const started = performance.now();
    const reason = this.changed.length > 0 ? [...new Set(this.changed)].join(', ') : 'start';
    this.changed = [];
    this.running = true;
    this.emit();
    let phase: 'run' | 'render' = 'run';
    try {
      const { dataset, catalog, definition, report, datasetMs, catalogMs } = await this.inputs.load(
        this.report,
      );
      this.report = report;
      const { queryCache } = this.inputs;
      const options: PreviewOptions = {
        timeZone: this.options.timeZone,
        now: this.inputs.now,
        ...(this.period ? { period: parsePeriod(this.period) } : {}),
        params: this.params,
        ...(this.options.company ? { company: this.options.company } : {}),
        format: {
          currency: this.options.currency,
          ...(this.options.locale ? { locale: this.options.locale } : {}),
        },
      };
      queryCache.startRun();
      const reportStarted = performance.now();
      const run = await runPreview(definition, dataset, catalog, options);
      const reportMs = performance.now() - reportStarted;
      phase = 'render';
      const renderStarted = performance.now();
      const html = await renderReportHtml(run.document, { grain: run.grain });
      const renderMs = performance.now() - renderStarted;
      queryCache.sweep();
      this.html = html;
      this.version += 1;
      this.problem = undefined;
      const { document } = run;
      this.shownPeriod = periodArgument({
        start: document.periodStart,
        end: document.periodEnd,
        grain: run.grain,
      });
      this.timing = {
        reason,
        totalMs: performance.now() - started,
        datasetMs,
        catalogMs,
        reportMs,
        renderMs,
        queries: queryCache.stats(),
      };
      const t = this.timing;
      this.options.log(
        `✓ ${definition.name}, ${document.periodLabel}: ${ms(t.totalMs)} (report ${ms(reportMs)}, render ${ms(renderMs)}` +
          `${t.datasetMs ? `, data ${ms(t.datasetMs)}` : ''}; queries ${t.queries.misses} run, ${t.queries.hits} reused as their inputs did not change) after ${reason}\n`,
      );
    } catch (error) {
      this.problem = describeProblem(error, this.roots, phase);
      const where = this.problem.file
        ? ` ${this.problem.file}${this.problem.line ? `:${this.problem.line}` : ''}`
        : '';
      this.options.log(`✗ ${this.problem.title}${where}: ${this.problem.message.split('\n')[0]}\n`);
    } finally {
      this.running = false;
      this.emit();
    }
  }
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}
