// `pulse dev` reads pulse.config.json again when it is saved, including by an editor that writes
// a new file and renames it over the old one: the preview starts over with the new settings.
// A config with a mistake keeps the last good settings and says why. Real files, real server.

import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devCommand } from '../../lib/cli/commands/dev.ts';
import type { CliIo } from '../../lib/cli/options.ts';
import { TEST_NOW } from '../helpers.ts';

async function until(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** As JetBrains' safe write and `sed -i` save: a new file renamed over the old one. */
async function saveByRename(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp~`, text);
  await rename(`${path}.tmp~`, path);
}

describe('pulse dev and the config file', () => {
  let project: string;
  beforeAll(async () => {
    project = await mkdtemp(join(tmpdir(), 'pulse-dev-config-'));
    await writeFile(join(project, 'pulse.config.json'), JSON.stringify({ currency: 'USD' }));
  });
  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
  });

  it('picks up a config saved by rename; a broken one keeps the last good settings', async () => {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
      env: { PULSE_NOW: TEST_NOW, PULSE_DUCKDB_THREADS: '1' },
      cwd: project,
    };
    const stop = new AbortController();
    const running = devCommand(['weekly', '--port', '0'], io, stop.signal);
    try {
      await until(async () => stdout.includes('pulse dev:'), 'the URL');
      const url = /pulse dev: (\S+)/.exec(stdout)?.[1] ?? '';
      const report = async () => {
        const reply = await fetch(new URL('report.html', url));
        return reply.ok ? reply.text() : '';
      };
      await until(async () => (await report()).includes('$'), 'the first render, in dollars');
      expect(await report()).not.toContain('€');

      await saveByRename(
        join(project, 'pulse.config.json'),
        JSON.stringify({ currency: 'EUR', locale: 'de-DE', company: 'Acme GmbH' }),
      );
      await until(async () => (await report()).includes('€'), 'a render in euros');
      const html = await report();
      expect(html).toContain('Acme GmbH');
      expect(stderr).toContain('pulse.config.json changed; the preview starts over with its settings');

      // A second rename-over save is seen too (a watch on the old file would be deaf by now).
      await saveByRename(join(project, 'pulse.config.json'), JSON.stringify({ currency: 'GBP' }));
      await until(async () => (await report()).includes('£'), 'a render in pounds');

      await saveByRename(join(project, 'pulse.config.json'), JSON.stringify({ curency: 'CHF' }));
      await until(async () => stderr.includes('kept the settings from before'), 'the mistake');
      expect(stderr).toMatch(/curency: unknown key; did you mean "currency"\?/);
      expect(await report()).toContain('£');
    } finally {
      stop.abort();
      await running;
    }
  }, 120_000);
});
