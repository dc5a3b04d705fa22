import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReport } from '../../lib/report/run-report.ts';
import { writeReportOutputs } from '../../lib/report/write-outputs.ts';
import monthly from '../../reports/monthly.ts';
import { FIXTURES, TEST_NOW } from '../helpers.ts';

interface Tag {
  readonly name: string;
  readonly attributes: readonly { name: string; value: string }[];
}

/** Every start tag with its attributes; attribute values of the project's HTML are always quoted. */
function tags(html: string): Tag[] {
  const out: Tag[] = [];
  for (const match of html.matchAll(
    /<([a-zA-Z][\w:-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g,
  )) {
    const attributes = [
      ...(match[2] ?? '').matchAll(/([^\s=>/]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g),
    ].map((a) => ({
      name: (a[1] ?? '').toLowerCase(),
      value: (a[2] ?? '').replace(/^["']|["']$/g, ''),
    }));
    out.push({ name: (match[1] ?? '').toLowerCase(), attributes });
  }
  return out;
}

// test/fixtures/xss puts script tags, event handlers and javascript: URLs in every text field the
// report shows: customer, campaign, segment, owner, product, stage, channel, category, source.
describe('data cannot script the report or the e-mail', () => {
  let out: string;
  let files: Record<string, string>;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'pulse-xss-'));
    const run = await runReport(monthly, {
      dataDir: join(FIXTURES, 'xss'),
      timeZone: 'UTC',
      now: TEST_NOW,
      period: { start: '2026-10-01', end: '2026-11-01', grain: 'month' },
    });
    const written = await writeReportOutputs(run, { outRoot: out });
    files = {
      index: await readFile(join(written.dir, 'index.html'), 'utf8'),
      email: await readFile(join(written.dir, 'email.html'), 'utf8'),
      text: await readFile(join(written.dir, 'email.txt'), 'utf8'),
    };
  }, 60_000);
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('shows the hostile names, escaped', () => {
    expect(files.index).toContain('&lt;script&gt;alert(');
  });

  for (const name of ['index', 'email'] as const) {
    it(`${name}.html has no script element, no on* handler and no javascript: URL`, () => {
      const html = files[name] ?? '';
      const all = tags(html);
      expect(all.length).toBeGreaterThan(50);
      expect(all.filter((t) => t.name === 'script')).toEqual([]);
      expect(all.flatMap((t) => t.attributes.filter((a) => a.name.startsWith('on')))).toEqual([]);
      const urls = all.flatMap((t) =>
        t.attributes.filter((a) => ['href', 'src', 'xlink:href', 'action'].includes(a.name)),
      );
      expect(urls.filter((a) => /^\s*javascript:/i.test(a.value))).toEqual([]);
      expect(html).not.toMatch(/<script/i);
    });
  }
});
