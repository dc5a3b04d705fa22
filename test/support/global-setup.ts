// Runs once around the whole test run. Before: one fresh root for everything the tests write
// (TMPDIR points into it, so every mkdtemp(tmpdir()) lands there). After: the sentinel check,
// which fails the run, listing the files that hold the SMTP password, and keeps the root to look at.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTPUT_ROOT_ENV, recordedHits, type SentinelHit, scanForSentinel } from './sentinel.ts';

export default function setup(): () => Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'crm-pulse-tests-'));
  mkdirSync(join(root, 'tmp'));
  process.env[OUTPUT_ROOT_ENV] = root;
  // Workers start after this and inherit it: os.tmpdir() reads TMPDIR on every call.
  process.env.TMPDIR = join(root, 'tmp');
  // Kept contract-check results (lib/data/validation-cache.ts) start empty each run, off the project.
  process.env.PULSE_CACHE_DIR = join(root, 'validation-cache');
  return async () => {
    const hits: SentinelHit[] = [...(await recordedHits(root)), ...(await scanForSentinel(root))];
    if (hits.length === 0) {
      rmSync(root, { recursive: true, force: true });
      return;
    }
    const files = [
      ...new Set(
        hits.map(
          (h) =>
            `  ${h.file} (${hits
              .filter((x) => x.file === h.file)
              .map((x) => x.form)
              .join(', ')})`,
        ),
      ),
    ];
    console.error(
      [
        `sentinel check FAILED: the test SMTP password (test/support/sentinel.ts) appears in ${files.length} file(s) the tests wrote:`,
        ...files,
        `Kept for inspection: ${root}`,
      ].join('\n'),
    );
    // A teardown that throws leaves the exit code at 0; this does not.
    process.exitCode = 1;
  };
}
