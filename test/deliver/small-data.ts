import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSample } from '../../tools/generate-sample.ts';

/** A fresh 300-customer sample (seed 7) in a temp folder (~1 s); remove() deletes it. */
export async function createSmallData(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-pulse-small-'));
  await generateSample({ seed: 7, outDir: dir, customers: 300 });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
