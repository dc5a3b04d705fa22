import type { DataSettings } from '../data/dataset.ts';
import type { OnProgress } from '../progress.ts';
import type { OriginFolder } from '../project.ts';
// Runs a report for one parameter set and writes its outputs, as `pulse report` does, then reads
// back what the e-mail needs. A report that would be empty or broken is flagged, not sent.

import { join } from 'node:path';
import { DEFAULT_MAX_SEND_REJECT_SHARE, sendRefusal } from '../data/rejects.ts';
import type { PeriodSpan } from '../kpi/period.ts';
import { addDays, periodArgument } from '../kpi/period.ts';
import { emailSubject } from '../render/email-html.ts';
import type { ReportDefinition } from '../report/define.ts';
import { buildParamsFolder } from '../report/params-folder.ts';
import { type ReportRun, runReport } from '../report/run-report.ts';
import { writeReportOutputs } from '../report/write-outputs.ts';
import { type ReportOutputs, readReportOutputs } from './report-outputs.ts';
import type { Restatement } from './restatement.ts';

export interface DataReadOptions {
  readonly mapping?: string;
  readonly allowRejects?: boolean;
  readonly maxRejectShare?: number;
  /** Above this share of a table's rows rejected, a report reading it is not sent (default 5 %). */
  readonly maxSendRejectShare?: number;
  /** DuckDB's memory and threads (PULSE_DUCKDB_*, or the config file's duckdb). */
  readonly engine?: DataSettings;
  /** KPI folders, built-in first: the project's KPIs beside the built-in ones. */
  readonly queryFolders?: readonly OriginFolder[];
}

export interface RenderRequest {
  readonly definition: ReportDefinition;
  readonly dataDir: string;
  readonly data?: DataReadOptions;
  readonly timeZone: string;
  readonly now: string;
  /** Default: the last complete period in the data. */
  readonly period?: PeriodSpan;
  readonly params: Readonly<Record<string, string>>;
  /** out/; a parameter set writes under out/<name=value,...>/ so sets never overwrite each other. */
  readonly outRoot: string;
  readonly currency: string;
  /** Digits and separators (PULSE_LOCALE); default en-US. */
  readonly locale?: string;
  /** Named before the report's title, on the page and in the subject. */
  readonly company?: string;
  readonly pdf: boolean;
  /** Past numbers this run restates (the ledger's): said in the report and the message. */
  readonly restated?: (run: ReportRun) => Promise<readonly Restatement[]>;
  /** Send a report whose period the data covers only in part, marked partial (--partial). */
  readonly allowPartial?: boolean;
  /** Told as the run reads, checks, computes and renders. */
  readonly onProgress?: OnProgress;
}

export interface RenderedReport {
  readonly run: ReportRun;
  /** The --period text: 2026-10. */
  readonly period: string;
  readonly subject: string;
  readonly outputs: ReportOutputs;
  /** The numbers of the period before that changed since they were sent; in the message. */
  readonly restated: readonly Restatement[];
  /** Why it must not be sent; empty when it may. */
  readonly problems: readonly string[];
  /** Set when the data does not yet cover the whole period (one of the problems). */
  readonly stale?: string;
}

export async function renderReportForSend(request: RenderRequest): Promise<RenderedReport> {
  const computed = await runReport(request.definition, {
    dataDir: request.dataDir,
    timeZone: request.timeZone,
    now: request.now,
    ...(request.period ? { period: request.period } : {}),
    params: request.params,
    format: { currency: request.currency, ...(request.locale ? { locale: request.locale } : {}) },
    ...(request.data?.mapping ? { mapping: request.data.mapping } : {}),
    ...(request.data?.allowRejects ? { allowRejects: true } : {}),
    ...(request.data?.maxRejectShare ? { maxRejectShare: request.data.maxRejectShare } : {}),
    ...(request.data?.engine ? { engine: request.data.engine } : {}),
    ...(request.data?.queryFolders ? { queryFolders: request.data.queryFolders } : {}),
    ...(request.company ? { company: request.company } : {}),
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
  // Found before the files are written, so the e-mail and the attached report say them.
  const restated = request.restated ? await request.restated(computed) : [];
  const run: ReportRun =
    restated.length > 0
      ? { ...computed, document: { ...computed.document, restated: restated.map((r) => r.sentence) } }
      : computed;
  const paramsFolder = buildParamsFolder(request.params);
  const written = await writeReportOutputs(run, {
    outRoot: paramsFolder ? join(request.outRoot, paramsFolder) : request.outRoot,
    pdf: request.pdf,
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
  const { document } = run;
  const partial = partialProblem(document, request.allowPartial);
  const stale = partial?.stale ? partial.problem : undefined;
  return {
    run,
    period: periodArgument({ start: document.periodStart, end: document.periodEnd, grain: run.grain }),
    subject: emailSubject(document),
    outputs: await readReportOutputs(written.dir, { pdf: request.pdf }),
    restated,
    problems: [
      ...(partial ? [partial.problem] : []),
      ...checkReportRun(run, request.data?.maxSendRejectShare),
    ],
    ...(stale ? { stale } : {}),
  };
}

/**
 * A report of a period the export covers only in part is not mailed as if it were whole. An
 * export that ends inside the period is stale (a schedule waits for the next one); one that
 * starts inside it never fills it, and only --partial sends it.
 */
function partialProblem(
  document: ReportRun['document'],
  allowPartial: boolean | undefined,
): { readonly problem: string; readonly stale: boolean } | undefined {
  if (!document.partial || allowPartial) return undefined;
  const stale = document.dataAsOf === null || addDays(document.dataAsOf, 1) < document.periodEnd;
  if (!stale)
    return {
      stale,
      problem: `the data starts within ${document.periodLabel} (${document.partial}); nothing was sent. Send it on purpose, marked partial, with --partial, or choose a later period`,
    };
  return {
    stale,
    problem: `the export is stale: data as of ${document.dataAsOf ?? 'unknown'}, report for ${document.periodLabel} (${document.partial}); nothing was sent. Send it once the export covers the period, or on purpose, marked partial, with --partial`,
  };
}

/** "Never an empty report": the headline must hold at least one number for the period. */
export function checkReportRun(run: ReportRun, maxSendRejectShare = DEFAULT_MAX_SEND_REJECT_SHARE): string[] {
  const { document } = run;
  const problems: string[] = [];
  // Numbers from a table that lost too many rows are not sent (the owner hears why).
  const refusal = sendRefusal(run.rejectedTables, maxSendRejectShare);
  if (refusal) problems.push(`${document.name}, ${document.periodLabel}: ${refusal}`);
  if (document.headline.length === 0) problems.push(`${document.name}: the report has no headline tiles`);
  // In a scoped report a company-wide number is not the scope's: it does not count here.
  const withValue = document.headline.filter(
    (s) =>
      s.available &&
      s.current !== undefined &&
      s.current.value !== null &&
      (document.scope === undefined || s.companyWide === undefined),
  );
  if (document.headline.length > 0 && withValue.length === 0) {
    // A scope can be right and still match nothing in the period: say so, not "no data".
    const scope = document.scope ? `; the scope ${document.scope.label} matched no rows for the period` : '';
    problems.push(
      `${document.name}, ${document.periodLabel}: none of the ${document.headline.length} headline KPIs has a value for the period (data as of ${document.dataAsOf ?? 'unknown'})${scope}`,
    );
  }
  return problems;
}
