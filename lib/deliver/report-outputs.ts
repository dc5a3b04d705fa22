import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PulseError } from '../errors.ts';

/** What a written report folder (out/<report>/<period>/) holds for the e-mail. */
export interface ReportOutputs {
  readonly dir: string;
  /** email.html: refers to its charts as charts/<file>. */
  readonly emailHtml: string;
  readonly emailText: string;
  /** index.html: the full report, attached. */
  readonly reportHtml: string;
  readonly kpisCsv: string;
  /** kpis.json: every number shown, kept in the ledger for restatement checks. */
  readonly kpisJson: string;
  readonly images: readonly { readonly file: string; readonly png: Uint8Array }[];
  readonly pdf?: Uint8Array;
}

const REQUIRED = ['email.html', 'email.txt', 'index.html', 'kpis.csv', 'kpis.json'] as const;

/** Reads the files `writeReportOutputs` wrote; `pdf` asks for report.pdf too. */
export async function readReportOutputs(
  dir: string,
  options: { pdf?: boolean } = {},
): Promise<ReportOutputs> {
  const texts: string[] = [];
  for (const name of REQUIRED) {
    texts.push(
      await readFile(join(dir, name), 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new PulseError(
          'usage',
          `${dir}: ${name} is missing (${error.code ?? 'unreadable'}); run \`pulse report\` for this report and period first`,
        );
      }),
    );
  }
  const [emailHtml = '', emailText = '', reportHtml = '', kpisCsv = '', kpisJson = ''] = texts;
  const chartFiles = await readdir(join(dir, 'charts')).catch(() => [] as string[]);
  const images = [];
  for (const file of chartFiles.filter((f) => f.endsWith('.png')).sort()) {
    images.push({ file, png: new Uint8Array(await readFile(join(dir, 'charts', file))) });
  }
  let pdf: Uint8Array | undefined;
  if (options.pdf) {
    pdf = new Uint8Array(
      await readFile(join(dir, 'report.pdf')).catch(() => {
        throw new PulseError('usage', `${dir}: report.pdf is missing; the PDF is written with --pdf`);
      }),
    );
  }
  return { dir, emailHtml, emailText, reportHtml, kpisCsv, kpisJson, images, ...(pdf ? { pdf } : {}) };
}
