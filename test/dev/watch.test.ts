import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Changes, watchFolders } from '../../lib/dev/watch.ts';

// Editors that save by writing a new file and renaming it over the old one (JetBrains "safe
// write", vim, `sed -i`) replace the file: the watch must see every such save, not the first.
let root: string;
let close: (() => void) | undefined;
afterEach(async () => {
  close?.();
  close = undefined;
  await rm(root, { recursive: true, force: true });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function watching(targets: Parameters<typeof watchFolders>[0]): Promise<Changes[]> {
  const seen: Changes[] = [];
  close = watchFolders(targets, (changes) => seen.push(changes), 40).close;
  await pause(150);
  return seen;
}

/** How a safe-write editor saves: a new file beside the old one, renamed over it. */
async function renameOver(file: string, text: string): Promise<void> {
  await writeFile(`${file}.new`, text);
  await rename(`${file}.new`, file);
  await pause(250);
}

describe('pulse dev watches the project', () => {
  it('sees every rename-over save of a query, not only the first', async () => {
    root = await mkdtemp(join(tmpdir(), 'pulse-watch-'));
    await mkdir(join(root, 'queries', 'sales'), { recursive: true });
    const file = join(root, 'queries', 'sales', 'won.sql');
    await writeFile(file, 'SELECT 1');
    const seen = await watching([{ kind: 'queries', dir: join(root, 'queries') }]);
    for (const n of [2, 3, 4]) await renameOver(file, `SELECT ${n}`);
    expect(seen).toHaveLength(3);
    for (const changes of seen) expect(changes.files).toContain(file);
  });

  it('sees a file saved in a folder made after it started, and a mapping file saved anywhere', async () => {
    root = await mkdtemp(join(tmpdir(), 'pulse-watch-'));
    await mkdir(join(root, 'queries'));
    const mapping = join(root, 'crm.json');
    await writeFile(mapping, '{}');
    await writeFile(join(root, 'other.json'), '{}');
    const seen = await watching([
      { kind: 'queries', dir: join(root, 'queries') },
      { kind: 'data', file: mapping },
    ]);
    await mkdir(join(root, 'queries', 'service'));
    await pause(150);
    await writeFile(join(root, 'queries', 'service', 'fcr.sql'), 'SELECT 1');
    await pause(250);
    await renameOver(mapping, '{"tables": {}}');
    await renameOver(mapping, '{"tables": {"orders": {}}}');
    await writeFile(join(root, 'other.json'), '{"x": 1}'); // not watched
    await pause(250);
    const files = seen.flatMap((c) => c.files);
    expect(files).toContain(join(root, 'queries', 'service', 'fcr.sql'));
    expect(seen.filter((c) => c.kinds.has('data'))).toHaveLength(2);
    expect(files).not.toContain(join(root, 'other.json'));
  });

  it('sees a project queries/ made after it started, made in place or moved in whole', async () => {
    root = await mkdtemp(join(tmpdir(), 'pulse-watch-'));
    const queries = join(root, 'queries');
    const reports = join(root, 'reports');
    const seen = await watching([
      { kind: 'queries', dir: queries },
      { kind: 'reports', dir: reports },
    ]);
    // Made in place, then a KPI saved in it, then saved again.
    await mkdir(join(queries, 'sales'), { recursive: true });
    await pause(150);
    const kpi = join(queries, 'sales', 'won.sql');
    await writeFile(kpi, 'SELECT 1');
    await pause(250);
    await renameOver(kpi, 'SELECT 2');
    // Made elsewhere with a file in it, then moved in whole.
    const staged = await mkdtemp(join(root, '.staging-'));
    await writeFile(join(staged, 'weekly.ts'), '// report');
    await rename(staged, reports);
    await pause(250);
    const files = (kind: string) => seen.filter((c) => c.kinds.has(kind as never)).flatMap((c) => c.files);
    expect(files('queries')).toContain(kpi);
    expect(seen.filter((c) => c.files.includes(kpi)).length).toBeGreaterThanOrEqual(2);
    expect(files('reports')).toContain(join(reports, 'weekly.ts'));
    expect(files('queries')).not.toContain(join(reports, 'weekly.ts'));
  });
});
