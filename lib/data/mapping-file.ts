import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PulseError } from '../errors.ts';
import { TOOLKIT_ROOT } from '../paths.ts';
import { type Mapping, parseMapping } from './mapping.ts';

/** The presets shipped in mappings/: `--mapping salesforce` finds mappings/salesforce.json. */
export const PRESETS_DIR = `${TOOLKIT_ROOT}/mappings`;

/** Reads a mapping file, or a preset by name when no such file exists. */
export async function readMapping(path: string): Promise<Mapping> {
  const text = await readFile(path, 'utf8').catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') {
      throw new PulseError('usage', `mapping ${path} cannot be read (${error.code ?? error.message})`);
    }
    const preset = join(PRESETS_DIR, `${basename(path).replace(/\.json$/i, '')}.json`);
    const found = await readFile(preset, 'utf8').catch(() => undefined);
    if (found === undefined) {
      const presets = await listPresets();
      throw new PulseError(
        'usage',
        `mapping ${path} does not exist; give a JSON mapping file or a preset: ${presets.join(', ')} (see mappings/README.md)`,
      );
    }
    path = preset;
    return found;
  });
  return parseMapping(text, path);
}

export async function listPresets(): Promise<string[]> {
  const files = await readdir(PRESETS_DIR).catch(() => []);
  return files
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.replace(/\.json$/, ''))
    .sort();
}

/** Every preset, by name, parsed: `pulse check` compares unused files with them. */
export async function readPresets(): Promise<Map<string, Mapping>> {
  const presets = new Map<string, Mapping>();
  for (const name of await listPresets()) {
    const file = join(PRESETS_DIR, `${name}.json`);
    presets.set(name, parseMapping(await readFile(file, 'utf8'), file));
  }
  return presets;
}
