import { fileURLToPath } from 'node:url';

/** The project folder, wherever the command is run from. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const QUERIES_DIR = `${PROJECT_ROOT}/queries`;
export const SAMPLE_DATA_DIR = `${PROJECT_ROOT}/data/sample`;
