import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSample } from '../../tools/generate-sample.ts';

let small: Promise<string> | undefined;

/** A small company (300 customers, seed 7) generated once per test file: fast and deterministic. */
export function smallCompany(): Promise<string> {
  small ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pulse-report-data-'));
    await generateSample({ seed: 7, outDir: dir, customers: 300 });
    return dir;
  })();
  return small;
}
