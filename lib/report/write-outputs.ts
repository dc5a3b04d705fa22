import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { objectsToCsv } from '../format/table.ts';
import { periodArgument } from '../kpi/period.ts';
import type { OnProgress } from '../progress.ts';
import { renderEmail } from '../render/email-html.ts';
import { writePdf } from '../render/pdf.ts';
import { renderReportHtml } from '../render/report-html.ts';
import type { ReportRun } from './run-report.ts';

/** Where and what to write; the currency and locale are the report's own (`document.format`). */
export interface WriteOptions {
  /** The root of all outputs; the report goes to <outRoot>/<report>/<period>/. */
  readonly outRoot: string;
  readonly pdf?: boolean;
  /** Told as the page, the e-mail and the PDF are rendered. */
  readonly onProgress?: OnProgress;
}

export interface WrittenReport {
  readonly dir: string;
  readonly files: readonly string[];
}

/** Writes index.html, email.html (+ charts/*.png, email.txt), kpis.csv, kpis.json and report.pdf. */
export async function writeReportOutputs(run: ReportRun, options: WriteOptions): Promise<WrittenReport> {
  const { document } = run;
  const { grain } = run;
  const dir = resolve(
    options.outRoot,
    document.name,
    periodArgument({ start: document.periodStart, end: document.periodEnd, grain }),
  );
  // A rerun replaces the folder: no chart from an earlier run may linger beside the new ones.
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'charts'), { recursive: true });
  const renderOptions = { ...options, grain };
  options.onProgress?.({ stage: 'render', what: 'the page and its charts' });
  const html = await renderReportHtml(document, renderOptions);
  options.onProgress?.({ stage: 'render', what: 'the e-mail and its chart images' });
  const email = await renderEmail(document, renderOptions);
  const files: [string, string | Uint8Array][] = [
    ['index.html', html],
    ['email.html', email.html],
    ['email.txt', email.text],
    // Opened by the e-mail's recipients in a spreadsheet: the data's text never runs as a formula.
    ['kpis.csv', objectsToCsv(run.numbers as unknown as Record<string, unknown>[], { spreadsheet: true })],
    ['kpis.json', `${JSON.stringify(run.numbers, null, 2)}\n`],
    ...email.images.map((image): [string, Uint8Array] => [`charts/${image.file}`, image.png]),
  ];
  for (const [name, content] of files) await writeFile(join(dir, name), content);
  const written = files.map(([name]) => name);
  if (options.pdf) {
    options.onProgress?.({ stage: 'render', what: 'the PDF' });
    await writePdf(join(dir, 'index.html'), join(dir, 'report.pdf'));
    written.push('report.pdf');
  }
  return { dir, files: written };
}
