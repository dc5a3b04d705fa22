import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../helpers.ts';
import { pulse } from '../support/cli.ts';

// Nothing outside the data folder is read, at load time as at query time: a table file that is a
// symbolic link out of the folder stops the load before DuckDB opens it.
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pulse-data-links-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('symbolic links in the data folder', () => {
  it('refuses a table file linked outside the folder, and prints none of its lines', async () => {
    const data = join(root, 'outside');
    await cp(`${FIXTURES}/ops`, data, { recursive: true });
    await rm(join(data, 'customers.csv'), { force: true });
    await symlink('/etc/passwd', join(data, 'customers.csv'));
    const run = await pulse(['check', '--data', data], { PULSE_CACHE: 'off' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${join(data, 'customers.csv')} is a symbolic link to /etc/passwd, outside the data folder`,
    );
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/root:x:0/);
  });

  it('refuses a dangling link', async () => {
    const data = join(root, 'dangling');
    await cp(`${FIXTURES}/ops`, data, { recursive: true });
    await rm(join(data, 'customers.csv'), { force: true });
    await symlink(join(root, 'missing.csv'), join(data, 'customers.csv'));
    const run = await pulse(['check', '--data', data], { PULSE_CACHE: 'off' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is a symbolic link to a file that does not exist');
  });

  it('reads a link that stays inside the folder', async () => {
    const data = join(root, 'inside');
    await cp(`${FIXTURES}/ops`, data, { recursive: true });
    await cp(join(data, 'customers.csv'), join(data, 'customers-export.csv'));
    await rm(join(data, 'customers.csv'));
    await symlink('customers-export.csv', join(data, 'customers.csv'));
    const run = await pulse(
      ['query', 'SELECT count(*) AS n FROM customers', '--data', data, '--format', 'json'],
      {
        PULSE_CACHE: 'off',
      },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)[0].n).toBeGreaterThan(0);
  });
});
