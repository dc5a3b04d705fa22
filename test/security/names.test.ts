import { describe, expect, it } from 'vitest';
import { PulseError } from '../../lib/errors.ts';
import { loadReport } from '../../lib/report/load-report.ts';
import { testCatalog } from '../helpers.ts';

// 1,000 hostile names: traversal, encoded traversal, absolute paths, NUL, odd characters, long.
function hostileNames(count: number): string[] {
  const pieces = [
    '..',
    '../',
    '..\\',
    '%2e%2e',
    '%2f',
    '/etc/passwd',
    '/',
    '\0',
    'monthly',
    'reports',
    '.ts',
    '~',
    '$HOME',
    ' ',
    'A',
    'é',
    '*',
    '?',
    '|',
    ';',
  ];
  let seed = 99;
  const next = () => {
    seed = (seed * 48271) % 2147483647;
    return seed;
  };
  const names = Array.from({ length: count - 2 }, () => {
    const n = 1 + (next() % 5);
    return Array.from({ length: n }, () => pieces[next() % pieces.length]).join('');
  });
  return [...names, 'x'.repeat(65), ''];
}

describe('names from users resolve only to the project’s own files', () => {
  const names = hostileNames(1000).filter((n) => !/^[a-z0-9_-]{1,64}$/.test(n));

  it('report names outside ^[a-z0-9_-]{1,64}$ are refused before any file is touched', async () => {
    expect(names.length).toBeGreaterThan(900);
    for (const name of names) {
      await expect(loadReport(name), JSON.stringify(name)).rejects.toThrow(
        /report name .* must be lower-case letters, digits, - or _/,
      );
    }
  });

  it('a well-formed name that is not a report says so', async () => {
    await expect(loadReport('no_such_report')).rejects.toThrow(
      /no report "no_such_report" \(looked for reports\/no_such_report.ts\)/,
    );
  });

  it('KPI ids only ever name a KPI of the catalog', async () => {
    const catalog = await testCatalog();
    for (const name of names) {
      expect(() => catalog.get(name), JSON.stringify(name)).toThrow(PulseError);
    }
  });
});
