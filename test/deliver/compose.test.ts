import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportMessage } from '../../lib/deliver/compose.ts';
import { buildRawMessage, checkMessage, MAX_HTML_BYTES } from '../../lib/deliver/message-check.ts';
import { type ReportOutputs, readReportOutputs } from '../../lib/deliver/report-outputs.ts';
import { decodePng, encodeTestPng } from './decode-png.ts';

const PNG = encodeTestPng(2, 1);

const EMAIL_HTML = `<html><body><table width="640"><tr><td>
<p>Revenue was $9.0M.</p>
<img src="charts/change-revenue.png" width="600" height="220" alt="Revenue $9.0M, down 8.4 %">
<img src="charts/change-csat.png" width="600" height="220" alt="CSAT 79.9 %">
</td></tr></table></body></html>`;

function outputs(overrides: Partial<ReportOutputs> = {}): ReportOutputs {
  return {
    dir: '/nowhere',
    emailHtml: EMAIL_HTML,
    emailText: 'CRM monthly report: October 2026\n\n- Revenue $9,037,352\n',
    reportHtml: '<!doctype html><title>full report</title>',
    kpisCsv: 'id,period_start,value\nrevenue,2026-10-01,9037352\n',
    kpisJson: '[]',
    images: [
      { file: 'change-revenue.png', png: PNG },
      { file: 'change-csat.png', png: PNG },
    ],
    ...overrides,
  };
}

const from = { name: 'CRM Pulse', address: 'pulse@example.com' };
const to = { name: 'Ana Ruiz', address: 'ana@example.com' };
const build = (o: ReportOutputs, subject = 'CRM monthly report: October 2026') =>
  buildReportMessage({
    outputs: o,
    subject,
    from,
    to,
    sendKey: 'monthly-exec|monthly|2026-10|ana@example.com',
  });

describe('the report message', () => {
  it('refers to every chart by cid: and embeds it as an inline PNG', () => {
    const message = build(outputs());
    expect(message.html).not.toContain('charts/');
    expect(message.html).toContain('src="cid:change-revenue.png@crm-pulse"');
    const inline = message.attachments.filter((a) => a.cid);
    expect(inline.map((a) => [a.cid, a.contentType, a.contentDisposition])).toEqual([
      ['change-revenue.png@crm-pulse', 'image/png', 'inline'],
      ['change-csat.png@crm-pulse', 'image/png', 'inline'],
    ]);
    expect(message.attachments.filter((a) => !a.cid).map((a) => a.filename)).toEqual([
      'report.html',
      'kpis.csv',
    ]);
    expect(checkMessage(message, 1000)).toEqual([]);
  });

  it('attaches the PDF when there is one', () => {
    const message = build(outputs({ pdf: new Uint8Array([37, 80, 68, 70]) }));
    expect(message.attachments.map((a) => a.filename)).toContain('report.pdf');
  });

  it('has the same Message-ID for the same send, another for another recipient', () => {
    const a = build(outputs());
    expect(build(outputs()).messageId).toBe(a.messageId);
    const other = buildReportMessage({ outputs: outputs(), subject: 's', from, to, sendKey: 'other' });
    expect(other.messageId).not.toBe(a.messageId);
    expect(a.messageId).toMatch(/^<pulse\.[0-9a-f]{32}@example\.com>$/);
  });

  it('parses back into the CID images (decodable PNGs), the attachments, the subject and the text part', async () => {
    const raw = await buildRawMessage(build(outputs()));
    const parsed = await simpleParser(raw, { keepCidLinks: true });
    expect(parsed.subject).toBe('CRM monthly report: October 2026');
    expect(parsed.text).toContain('Revenue $9,037,352');
    expect(parsed.html).toContain('cid:change-csat.png@crm-pulse');
    const images = parsed.attachments.filter((a) => a.contentType === 'image/png');
    expect(images.map((a) => a.cid).sort()).toEqual([
      'change-csat.png@crm-pulse',
      'change-revenue.png@crm-pulse',
    ]);
    for (const image of images) expect(decodePng(image.content)).toEqual({ width: 2, height: 1 });
    const files = parsed.attachments.filter((a) => a.contentDisposition === 'attachment');
    expect(files.map((a) => a.filename)).toEqual(['report.html', 'kpis.csv']);
    expect(files[1]?.content.toString()).toContain('revenue,2026-10-01');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
  });
});

describe('the pre-send check refuses, saying why', () => {
  it('an HTML body over 100 KB (Gmail clips it)', () => {
    const big = EMAIL_HTML.replace('<p>', `<p>${'x'.repeat(MAX_HTML_BYTES)}`);
    expect(checkMessage(build(outputs({ emailHtml: big })), 200_000).join()).toMatch(
      /HTML body is 100\.\d KB, over the 100\.0 KB limit/,
    );
  });

  it('a message over 20 MB', () => {
    expect(checkMessage(build(outputs()), 21 * 1024 * 1024).join()).toMatch(
      /message is 21\.0 MB, over the 20\.0 MB limit/,
    );
  });

  it('a cid: with no image', () => {
    const message = build(outputs({ images: [{ file: 'change-revenue.png', png: PNG }] }));
    expect(checkMessage(message, 1000)).toEqual([
      'cid:change-csat.png@crm-pulse has no attached image (charts/ file missing?)',
    ]);
  });

  it('an image without alt text, a remote image, a data: URI and inline SVG', () => {
    const html = `${EMAIL_HTML}<img src="charts/change-revenue.png" width="1" height="1">
      <img src="https://tracker.example.com/p.png" alt="x"><img src="data:image/png;base64,AAAA" alt="y"><svg></svg>`;
    const problems = checkMessage(build(outputs({ emailHtml: html })), 1000);
    expect(problems).toContain('image cid:change-revenue.png@crm-pulse has no alt text');
    expect(problems.filter((p) => p.includes('is not embedded'))).toHaveLength(2);
    expect(problems.join()).toMatch(/inline SVG/);
  });

  it('a subject with a line break (header injection)', () => {
    expect(() => build(outputs(), 'Report\r\nBcc: everyone@example.com')).toThrow(/subject .* line break/);
  });
});

describe('readReportOutputs', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'crm-pulse-outputs-'));
    await mkdir(join(dir, 'charts'));
    const o = outputs();
    await writeFile(join(dir, 'email.html'), o.emailHtml);
    await writeFile(join(dir, 'email.txt'), o.emailText);
    await writeFile(join(dir, 'index.html'), o.reportHtml);
    await writeFile(join(dir, 'kpis.csv'), o.kpisCsv);
    await writeFile(join(dir, 'kpis.json'), o.kpisJson);
    for (const image of o.images) await writeFile(join(dir, 'charts', image.file), image.png);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a written report folder', async () => {
    const read = await readReportOutputs(dir);
    expect(read.images.map((i) => i.file)).toEqual(['change-csat.png', 'change-revenue.png']);
    expect(checkMessage(build(read), 1000)).toEqual([]);
  });

  it('says which file is missing and how to make it', async () => {
    await expect(readReportOutputs(dir, { pdf: true })).rejects.toThrow(
      /report\.pdf is missing; the PDF is written with --pdf/,
    );
    await expect(readReportOutputs(join(dir, 'charts'))).rejects.toThrow(
      /email\.html is missing .* run `pulse report`/,
    );
  });
});
