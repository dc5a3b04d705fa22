import type { Chart } from '../charts/chart.ts';
import { renderPng, renderSvg } from '../charts/render.ts';
import { showBidiOverrides } from '../format/control-characters.ts';
import type { ReportDocument } from './content.ts';
import type { RenderOptions } from './report-html.ts';
import { loadTemplates } from './templates.ts';
import { buildTileView, type TileView } from './tile-view.ts';

export interface EmailImage {
  /** File name under charts/; the e-mail refers to it as charts/<file> (cid: when sent). */
  readonly file: string;
  readonly png: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly alt: string;
}

export interface RenderedEmail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly images: readonly EmailImage[];
}

// Mail clients ignore stylesheets and classes: colours go inline, as hex.
const COLOURS: Record<string, string> = { good: '#0a6ca8', bad: '#b4490b', neutral: '#4a5563' };
const MAX_CHANGE_CHARTS = 3;

/**
 * The e-mail version: the summary, the headline tiles and what changed, in a single 640 px
 * table with inline styles; charts as 2× PNG files with explicit sizes and alt text.
 */
export async function renderEmail(document: ReportDocument, options: RenderOptions): Promise<RenderedEmail> {
  const tiles = document.headline.map((series) => buildTileView(series, options.grain, document.format));
  const images: EmailImage[] = [];
  const toImage = async (chart: Chart): Promise<EmailImage> => ({
    file: `${chart.id}.png`,
    png: renderPng(await renderSvg(chart), { scale: 2 }),
    width: chart.width,
    height: chart.height,
    alt: chart.alt,
  });
  const imageRef = (image: EmailImage) => ({
    src: `charts/${image.file}`,
    width: image.width,
    height: image.height,
    alt: image.alt,
  });
  const lead = document.leadChart ? await toImage(document.leadChart) : undefined;
  if (lead) images.push(lead);
  const changes = [];
  for (const change of document.changes) {
    if (!change.chart || images.length >= MAX_CHANGE_CHARTS + (lead ? 1 : 0)) {
      changes.push({ lines: lines(change.text) });
      continue;
    }
    const image = await toImage(change.chart);
    images.push(image);
    changes.push({ lines: lines(change.text), image: imageRef(image) });
  }
  const html = loadTemplates().email({
    ...document,
    dataAsOf: document.dataAsOf ?? 'unknown',
    tileRows: pairs(tiles.map(emailTile)),
    changes,
    // The page says under a chart why it starts late or leaves periods out: so does the e-mail.
    ...(lead ? { lead: { ...imageRef(lead), caption: document.leadChart?.caption } } : {}),
    attachmentName: 'report.html',
  });
  // As on the page: no value of the data may reverse a run of the message.
  return {
    subject: emailSubject(document),
    html: showBidiOverrides(html),
    text: showBidiOverrides(plainText(document, tiles)),
    images,
  };
}

/**
 * "CRM monthly report: October 2026": one thread per period; a scoped report says whose
 * numbers they are ("... — region EMEA"), so two regions never thread together either.
 */
export function emailSubject(
  document: Pick<ReportDocument, 'title' | 'periodLabel' | 'scope' | 'partial' | 'subject'>,
): string {
  const partial = document.partial ? ' (partial)' : '';
  const scope = document.scope ? ` — ${document.scope.label}` : '';
  if (document.subject) return showBidiOverrides(`${document.subject}${partial}${scope}`);
  return showBidiOverrides(`${document.title}: ${document.periodLabel}${partial}${scope}`);
}

function emailTile(tile: TileView) {
  return {
    ...tile,
    changeColor: COLOURS[tile.changeClass] ?? COLOURS.neutral,
    yoyColor: COLOURS[tile.yoyClass] ?? COLOURS.neutral,
    targetColor: COLOURS[tile.targetClass] ?? COLOURS.neutral,
  };
}

function plainText(document: ReportDocument, tiles: readonly TileView[]): string {
  const restated = document.restated ?? [];
  return [
    emailSubject(document),
    '',
    ...(document.rejectedRows?.banner ? [document.rejectedRows.banner, ''] : []),
    ...(restated.length > 0 ? ['Restated since last sent:', ...restated.map((r) => `- ${r}.`), ''] : []),
    ...(document.scope ? [`Only ${document.scope.label}. ${document.scope.coverage}`, ''] : []),
    ...(document.staleExport ? [`Not the latest data: ${document.staleExport}.`, ''] : []),
    ...(document.partial
      ? [
          `Partial ${document.periodLabel} (${document.partial}): the numbers cover only part of the period.`,
          '',
        ]
      : []),
    ...(document.summary ? [document.summary, ''] : []),
    ...tiles.map((t) => `- ${t.sentence}`),
    ...(document.headlineGaps ? ['', document.headlineGaps] : []),
    ...(document.changes.length > 0
      ? ['', 'What changed and why:', ...document.changes.flatMap((c) => textItem(c.text))]
      : []),
    ...(document.scope && document.scope.notes.length > 0
      ? ['', `About ${document.scope.label}:`, ...document.scope.notes.map((n) => `- ${n}`)]
      : []),
    '',
    ...(document.rejectedRows?.footer ? [document.rejectedRows.footer] : []),
    ...(document.dataQuality?.derived ?? []).map((line) => `${line}.`),
    ...(document.dataQuality?.blankInputs ?? []),
    `Data as of ${document.dataAsOf ?? 'unknown'}. The full report is attached.`,
    `Reproduce: ${document.reproduce}`,
    '',
  ].join('\n');
}

function pairs<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += 2) out.push(items.slice(i, i + 2));
  return out;
}

// A finding's text may be a lead and a Markdown list ("Not judged: ... - Revenue: ..."): one
// paragraph a line, the list's items with a bullet.
function lines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.replace(/^- /, '• '));
}

/** A finding as a list item of the text e-mail; its own list indented under it. */
function textItem(text: string): string[] {
  const [first = '', ...rest] = text.split('\n').filter((line) => line.trim() !== '');
  return [`- ${first}`, ...rest.map((line) => `  ${line}`)];
}
