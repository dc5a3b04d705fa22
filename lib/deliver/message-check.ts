// The pre-send check: a message that would look broken in the inbox is refused, with the reason.
// Gmail clips an HTML body at about 102 KB; most servers refuse messages over 20-25 MB.

import MailComposer from 'nodemailer/lib/mail-composer';
import { headerValueProblem } from './address.ts';
import { type OutgoingMessage, toNodemailerOptions } from './compose.ts';

export const MAX_HTML_BYTES = 100_000;
export const MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

/** Everything wrong with a message, one sentence each; empty when it may go. */
export function checkMessage(message: OutgoingMessage, rawBytes: number): string[] {
  const problems: string[] = [];
  const htmlBytes = Buffer.byteLength(message.html);
  if (htmlBytes > MAX_HTML_BYTES) {
    problems.push(
      `the HTML body is ${kb(htmlBytes)}, over the ${kb(MAX_HTML_BYTES)} limit (Gmail clips at about 102 KB); show fewer tiles or changes in the e-mail`,
    );
  }
  if (rawBytes > MAX_MESSAGE_BYTES) {
    problems.push(
      `the message is ${mb(rawBytes)}, over the ${mb(MAX_MESSAGE_BYTES)} limit; leave out the PDF or shrink the attachments`,
    );
  }
  if (!message.text.trim()) problems.push('the plain-text part is empty');
  if (!message.subject.trim()) problems.push('the subject is empty');
  const subjectProblem = headerValueProblem(message.subject);
  if (subjectProblem) problems.push(`the subject ${subjectProblem}`);
  problems.push(...checkImages(message));
  return problems;
}

/** Every <img> is a cid: PNG that is attached and has alt text; no SVG, data: or remote images. */
export function checkImages(message: OutgoingMessage): string[] {
  const problems: string[] = [];
  const cids = new Set(message.attachments.flatMap((a) => (a.cid ? [a.cid] : [])));
  for (const tag of message.html.match(/<img\b[^>]*>/gi) ?? []) {
    const src = attribute(tag, 'src');
    const alt = attribute(tag, 'alt');
    if (src === undefined) problems.push(`an <img> has no src: ${tag.slice(0, 80)}`);
    else if (!src.startsWith('cid:')) {
      problems.push(
        `image ${src.slice(0, 60)} is not embedded (cid:); mail clients block remote, data: and file images`,
      );
    }
    if (alt === undefined || !alt.trim()) problems.push(`image ${src ?? '?'} has no alt text`);
  }
  for (const match of message.html.matchAll(/cid:([^"'\s)>]+)/gi)) {
    const cid = match[1] ?? '';
    if (!cids.has(cid)) problems.push(`cid:${cid} has no attached image (charts/ file missing?)`);
  }
  for (const a of message.attachments) {
    if (a.cid && a.contentType !== 'image/png') problems.push(`inline image ${a.filename} is not a PNG`);
  }
  if (/<svg\b/i.test(message.html))
    problems.push('the HTML body has inline SVG, which Gmail and Outlook drop');
  return [...new Set(problems)];
}

/** The message as it goes on the wire (RFC 5322 bytes), built in memory. */
export function buildRawMessage(message: OutgoingMessage): Promise<Buffer> {
  return new MailComposer(toNodemailerOptions(message)).compile().build();
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3] ?? '') : undefined;
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
