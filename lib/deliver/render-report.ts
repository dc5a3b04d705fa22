// Runs a report for one parameter set and writes its outputs, as `pulse report` does, then reads
// back what the e-mail needs. A report that would be empty or broken is flagged, not sent.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_MAX_SEND_REJECT_SHARE, sendRefusal } from '../data/rejects.ts';
import type { PeriodSpan } from '../kpi/period.ts';
import { emailSubject } from '../render/email-html.ts';
import type { ReportDefinition } from '../report/define.ts';
import { periodArgument, type ReportRun, runReport } from '../report/run-report.ts';
import { writeReportOutputs } from '../report/write-outputs.ts';
import { type ReportOutputs, readReportOutputs } from './report-outputs.ts';

export interface DataReadOptions {
  readonly mapping?: string;
  readonly allowRejects?: boolean;
  readonly maxRejectShare?: number;
  /** Above this share of rejected rows the report is not sent (default 5 %). */
  readonly maxSendRejectShare?: number;
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
  readonly pdf: boolean;
}

export interface RenderedReport {
  readonly run: ReportRun;
  /** The --period text: 2026-10. */
  readonly period: string;
  readonly subject: string;
  readonly outputs: ReportOutputs;
  /** Why it must not be sent; empty when it may. */
  readonly problems: readonly string[];
}

export async function renderReportForSend(request: RenderRequest): Promise<RenderedReport> {
  const run = await runReport(request.definition, {
    dataDir: request.dataDir,
    timeZone: request.timeZone,
    now: request.now,
    ...(request.period ? { period: request.period } : {}),
    params: request.params,
    ...(request.data?.mapping ? { mapping: request.data.mapping } : {}),
    ...(request.data?.allowRejects ? { allowRejects: true } : {}),
    ...(request.data?.maxRejectShare ? { maxRejectShare: request.data.maxRejectShare } : {}),
  });
  const paramsFolder = buildParamsFolder(request.params);
  const written = await writeReportOutputs(run, {
    outRoot: paramsFolder ? join(request.outRoot, paramsFolder) : request.outRoot,
    currency: request.currency,
    pdf: request.pdf,
  });
  const { document } = run;
  return {
    run,
    period: periodArgument({ start: document.periodStart, end: document.periodEnd, grain: run.grain }),
    subject: emailSubject(document),
    outputs: await readReportOutputs(written.dir, { pdf: request.pdf }),
    problems: checkReportRun(run, request.data?.maxSendRejectShare),
  };
}

/** "Never an empty report": the headline must hold at least one number for the period. */
export function checkReportRun(run: ReportRun, maxSendRejectShare = DEFAULT_MAX_SEND_REJECT_SHARE): string[] {
  const { document } = run;
  const problems: string[] = [];
  // Numbers from an export with too many unreadable rows are not sent (the owner hears why).
  const refusal = sendRefusal(document.dataQuality?.rejected, maxSendRejectShare);
  if (refusal) problems.push(`${document.name}, ${document.periodLabel}: ${refusal}`);
  if (document.headline.length === 0) problems.push(`${document.name}: the report has no headline tiles`);
  const withValue = document.headline.filter(
    (s) => s.available && s.current !== undefined && s.current.value !== null,
  );
  if (document.headline.length > 0 && withValue.length === 0) {
    problems.push(
      `${document.name}, ${document.periodLabel}: none of the ${document.headline.length} headline KPIs has a value for the period (data as of ${document.dataAsOf ?? 'unknown'})`,
    );
  }
  return problems;
}

/** `region=EMEA,team=north`, each part file-safe; '' without params; long sets as a hash. */
export function buildParamsFolder(params: Readonly<Record<string, string>>): string {
  const folder = Object.keys(params)
    .sort()
    .map((name) => `${safe(name)}=${safe(params[name] ?? '')}`)
    .join(',');
  if (folder.length <= 120) return folder;
  return `params=${createHash('sha256').update(buildParamsKey(params)).digest('hex').slice(0, 16)}`;
}

/** One key per parameter set, for grouping recipients and the ledger's numbers. */
export function buildParamsKey(params: Readonly<Record<string, string>>): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(params)
        .sort()
        .map((k) => [k, params[k]]),
    ),
  );
}

function safe(text: string): string {
  const encoded = encodeURIComponent(text).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16)}`);
  return encoded.replace(/^\./, '%2E');
}
