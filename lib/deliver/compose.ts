// The message a recipient gets, built from a written report folder. Pure: the same outputs and
// recipient always give the same message, so a retry or a resend after a crash is identical
// (and carries the same Message-ID, which lets mail clients fold a rare duplicate).

import { createHash } from 'node:crypto';
import { assertHeaderSafe, type MailAddress } from './address.ts';
import type { ReportOutputs } from './report-outputs.ts';

export interface OutgoingAttachment {
  readonly filename: string;
  readonly content: Uint8Array | string;
  readonly contentType: string;
  /** Set for inline images: the HTML refers to them as cid:<cid>. */
  readonly cid?: string;
  readonly contentDisposition: 'inline' | 'attachment';
}

export interface OutgoingMessage {
  readonly from: MailAddress;
  readonly to: MailAddress;
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** <...@domain>, stable for one logical send. */
  readonly messageId: string;
  readonly attachments: readonly OutgoingAttachment[];
  readonly headers: Readonly<Record<string, string>>;
}

export interface ReportMessageInput {
  readonly outputs: ReportOutputs;
  readonly subject: string;
  readonly from: MailAddress;
  readonly to: MailAddress;
  /** What makes the send unique: schedule, report, period, recipient (and a resend counter). */
  readonly sendKey: string;
  /** Name of the attached full report; the e-mail body refers to it. */
  readonly reportFileName?: string;
}

const CHART_SRC = /(\ssrc\s*=\s*["'])charts\/([^"']+)(["'])/gi;

/** The report e-mail: HTML with cid: images, the plain-text part and the attachments. */
export function buildReportMessage(input: ReportMessageInput): OutgoingMessage {
  assertHeaderSafe(input.subject, 'subject');
  const cids = new Map<string, string>();
  const html = input.outputs.emailHtml.replace(
    CHART_SRC,
    (_m, before: string, file: string, after: string) => {
      const cid = chartCid(file);
      cids.set(file, cid);
      return `${before}cid:${cid}${after}`;
    },
  );
  const inline: OutgoingAttachment[] = input.outputs.images
    .filter((image) => cids.has(image.file))
    .map((image) => ({
      filename: image.file,
      content: image.png,
      contentType: 'image/png',
      cid: cids.get(image.file) ?? chartCid(image.file),
      contentDisposition: 'inline',
    }));
  const attached: OutgoingAttachment[] = [
    {
      filename: input.reportFileName ?? 'report.html',
      content: input.outputs.reportHtml,
      contentType: 'text/html; charset=utf-8',
      contentDisposition: 'attachment',
    },
    {
      filename: 'kpis.csv',
      content: input.outputs.kpisCsv,
      contentType: 'text/csv; charset=utf-8',
      contentDisposition: 'attachment',
    },
    ...(input.outputs.pdf
      ? [
          {
            filename: 'report.pdf',
            content: input.outputs.pdf,
            contentType: 'application/pdf',
            contentDisposition: 'attachment' as const,
          },
        ]
      : []),
  ];
  return {
    from: input.from,
    to: input.to,
    subject: input.subject,
    html,
    text: input.outputs.emailText,
    messageId: buildMessageId(input.sendKey, input.from.address),
    attachments: [...inline, ...attached],
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  };
}

/** A short message that needs no report: alerts to an owner. */
export function buildPlainMessage(input: {
  readonly from: MailAddress;
  readonly to: MailAddress;
  readonly subject: string;
  readonly text: string;
  readonly sendKey: string;
}): OutgoingMessage {
  assertHeaderSafe(input.subject, 'subject');
  return {
    from: input.from,
    to: input.to,
    subject: input.subject,
    html: '',
    text: input.text,
    messageId: buildMessageId(input.sendKey, input.from.address),
    attachments: [],
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
  };
}

/** change-revenue.png → change-revenue.png@crm-pulse: unique within the message, stable. */
export function chartCid(file: string): string {
  return `${file.replace(/[^A-Za-z0-9._-]/g, '_')}@crm-pulse`;
}

/** <pulse.3f9a...@example.com>: a hash of the send key, the sender's domain. */
export function buildMessageId(sendKey: string, fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1) || 'crm-pulse.localhost';
  const hash = createHash('sha256').update(sendKey).digest('hex').slice(0, 32);
  return `<pulse.${hash}@${domain}>`;
}

/** The fields nodemailer and MailComposer take. */
export function toNodemailerOptions(message: OutgoingMessage) {
  return {
    from: { name: message.from.name ?? '', address: message.from.address },
    to: { name: message.to.name ?? '', address: message.to.address },
    subject: message.subject,
    text: message.text,
    ...(message.html ? { html: message.html } : {}),
    messageId: message.messageId,
    headers: { ...message.headers },
    attachments: message.attachments.map((a) => ({
      filename: a.filename,
      content: typeof a.content === 'string' ? a.content : Buffer.from(a.content),
      contentType: a.contentType,
      contentDisposition: a.contentDisposition,
      ...(a.cid ? { cid: a.cid } : {}),
    })),
    // Never read a file or fetch a URL named by the content: everything is given in memory.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}
