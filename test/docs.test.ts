import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { buildKpiReference, replaceKpiReference } from '../lib/docs/kpi-reference.ts';
import { TOOLKIT_ROOT } from '../lib/paths.ts';
import { testCatalog } from './helpers.ts';

it('README lists exactly the KPIs of queries/ (run `npm run docs` after editing a header)', async () => {
  const readme = await readFile(`${TOOLKIT_ROOT}/README.md`, 'utf8');
  const reference = buildKpiReference((await testCatalog()).kpis);
  expect(replaceKpiReference(readme, reference)).toBe(readme);
});
