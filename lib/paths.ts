import { fileURLToPath } from 'node:url';

/**
 * The toolkit's own folder (this checkout, or node_modules/crm-pulse when installed): the
 * built-in KPIs, reports, templates, mapping presets and the sample data live here. A user's
 * project folder is lib/project.ts's concern.
 */
export const TOOLKIT_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const QUERIES_DIR = `${TOOLKIT_ROOT}/queries`;
export const SAMPLE_DATA_DIR = `${TOOLKIT_ROOT}/data/sample`;
