// Every public cell, run on the sample (it draws) and on an export with only deals in it (it
// says what it would need, itself): a report script never checks `.available`.

import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as api from '../../lib/index.ts';
import { parsePeriod } from '../../lib/kpi/period.ts';
import { SAMPLE_DATA_DIR, TOOLKIT_ROOT } from '../../lib/paths.ts';
import type { Block } from '../../lib/render/content.ts';
import { runReport } from '../../lib/report/run-report.ts';
import { FIXTURES, TEST_NOW } from '../helpers.ts';

const run = promisify(execFile);

const everyCell = api.defineReport({
  name: 'every-cell',
  title: 'Every cell',
  grain: 'month',
  async build(r) {
    await r.section('Cells', async () => {
      await api.trend(r, 'churn_rate');
      await api.bars(r, 'csat', { by: 'channel', highlight: 'max' });
      await api.kpiTable(r, 'at_risk_customers', [{ field: 'name', header: 'Customer', unit: 'text' }], {
        title: 'At risk',
      });
      await api.pipelineFunnel(r);
      await api.stageDurations(r);
      await api.repLeaderboard(r);
      await api.competitiveKnockouts(r);
      await api.campaignPnl(r);
      await api.referralLeads(r);
      await api.resolutionDistribution(r);
      await api.npsBreakdown(r);
      await api.fieldCompleteness(r);
      await api.revenueMix(r);
      await api.cohortRetention(r);
      await api.relationshipGroups(r);
      await api.clvVersusCac(r);
      await api.yearOverYear(r, ['revenue', 'nps']);
    });
  },
});

const runOn = (dataDir: string) =>
  runReport(everyCell, { dataDir, timeZone: 'UTC', now: TEST_NOW, period: parsePeriod('2026-10') });

function blocksOf(blocks: readonly Block[]): Block[] {
  return blocks.flatMap((b) => (b.kind === 'section' ? blocksOf(b.blocks) : [b]));
}

describe('the notebook cells', () => {
  it('draw on the sample', async () => {
    const blocks = blocksOf((await runOn(SAMPLE_DATA_DIR)).document.blocks);
    const charts = blocks.filter((b) => b.kind === 'chart').length;
    expect(charts).toBeGreaterThanOrEqual(12);
    expect(blocks.filter((b) => b.kind === 'unavailable')).toEqual([]);
  }, 60_000);

  it('say what they need on an export with only deals, and throw nothing', async () => {
    const blocks = blocksOf((await runOn(`${FIXTURES}/sales-minimal`)).document.blocks);
    const notes = blocks.flatMap((b) =>
      b.kind === 'unavailable' ? [`${b.title}: ${b.missing.join('; ')}`] : [],
    );
    expect(notes.join('\n')).toMatch(/Churn rate trend: .*customers/);
    expect(notes.join('\n')).toMatch(/Net Promoter Score: .*surveys\.score/);
    expect(notes.join('\n')).toMatch(/\(CSAT\) by channel: surveys/);
    expect(notes.join('\n')).toMatch(/At risk: /);
    expect(notes.length).toBeGreaterThanOrEqual(12);
  }, 60_000);

  it('are each described in docs/notebook-api.md', async () => {
    const doc = await readFile(new URL('../../docs/notebook-api.md', import.meta.url), 'utf8');
    const functions = Object.entries(api)
      .filter(([, value]) => typeof value === 'function')
      .map(([name]) => name);
    const missing = functions.filter((name) => !new RegExp(`\\b${name}\\b`).test(doc));
    expect(missing).toEqual([]);
  });

  it("the page's whole-file examples type-check against the public entry", async () => {
    const doc = await readFile(new URL('../../docs/notebook-api.md', import.meta.url), 'utf8');
    const examples = [...doc.matchAll(/```ts\n(import [\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(examples.length).toBeGreaterThanOrEqual(2);
    // Inside the repository, so 'crm-pulse' resolves to this package (its exports) as in a project.
    const dir = join(TOOLKIT_ROOT, 'out', `doc-examples-${process.pid}`);
    await mkdir(dir, { recursive: true });
    try {
      await Promise.all(examples.map((text, i) => writeFile(join(dir, `example-${i}.ts`), text)));
      await writeFile(
        join(dir, 'tsconfig.json'),
        JSON.stringify({ extends: '../../tsconfig.json', include: ['*.ts'] }),
      );
      const checked = await run('npx', ['tsc', '--noEmit', '-p', dir], { cwd: TOOLKIT_ROOT }).catch(
        (error: { stdout: string }) => ({ stdout: error.stdout }),
      );
      expect(checked.stdout).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
