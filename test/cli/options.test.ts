import { describe, expect, it } from 'vitest';
import { commonOptions, parseFlags, resolveOutDir } from '../../lib/cli/options.ts';
import { TOOLKIT_ROOT } from '../../lib/paths.ts';

describe('resolveOutDir', () => {
  const cwd = '/home/ana/work';

  it("is the project's out/ by default, wherever the command runs", () => {
    expect(resolveOutDir(undefined, { cwd, env: {} })).toBe(`${TOOLKIT_ROOT}/out`);
  });

  it('takes $PULSE_OUT, against the working folder', () => {
    expect(resolveOutDir(undefined, { cwd, env: { PULSE_OUT: 'reports-out' } })).toBe(
      '/home/ana/work/reports-out',
    );
    expect(resolveOutDir(undefined, { cwd, env: { PULSE_OUT: '/srv/out' } })).toBe('/srv/out');
  });

  it('takes --out over $PULSE_OUT', () => {
    expect(resolveOutDir('../board', { cwd, env: { PULSE_OUT: '/srv/out' } })).toBe('/home/ana/board');
  });

  it('is the outDir every command gets from the common options', () => {
    const io = { cwd, env: { PULSE_OUT: 'x' }, stdout: () => {}, stderr: () => {} };
    expect(commonOptions(parseFlags(['report', 'monthly', '--out', 'y']).values, io).outDir).toBe(
      '/home/ana/work/y',
    );
    expect(commonOptions(parseFlags(['report', 'monthly']).values, io).outDir).toBe('/home/ana/work/x');
  });
});
