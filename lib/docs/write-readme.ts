// `npm run docs`: regenerates the KPI reference in README.md from the query headers.
import { readFile, writeFile } from 'node:fs/promises';
import { readCatalog } from '../kpi/catalog.ts';
import { TOOLKIT_ROOT } from '../paths.ts';
import { buildKpiReference, replaceKpiReference } from './kpi-reference.ts';

const path = `${TOOLKIT_ROOT}/README.md`;
const catalog = await readCatalog();
await writeFile(path, replaceKpiReference(await readFile(path, 'utf8'), buildKpiReference(catalog.kpis)));
console.log(`README.md: ${catalog.kpis.length} KPIs listed`);
