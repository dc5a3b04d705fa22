// Imports follow the flow (docs/architecture: data → kpi → charts → render → deliver → schedule,
// the CLI on top): a module may import its own layer or a lower one, never a higher one. Type-only
// imports count too: a type is a dependency of the design even when it costs nothing at run time.
// Biome's noImportCycles keeps the graph acyclic; this keeps it pointing one way.

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOOLKIT_ROOT } from '../lib/paths.ts';

const LIB = join(TOOLKIT_ROOT, 'lib');

/**
 * Lowest first; a module is in the layer of its folder under lib/ (lib/errors.ts and
 * lib/paths.ts are their own). Same rank = may import each other.
 */
const LAYERS: readonly (readonly string[])[] = [
  // Shared utilities: base types, where things are (the toolkit, the user's project), numbers.
  ['errors', 'paths', 'project', 'progress', 'format'],
  ['data'],
  ['kpi'],
  ['insights'],
  ['charts'],
  // The document model and how it becomes HTML, e-mail and PDF.
  ['render'],
  // The notebook API, cells and the report runner.
  ['report'],
  ['deliver'],
  ['schedule'],
  ['dev'],
  // Entry points: the commands, the README's generated KPI list, and the public API (index.ts)
  // that report scripts import.
  ['cli', 'docs', 'index'],
];

/** Imports against the flow that stay, each with why. Keep it short. */
const ALLOWED: readonly { readonly from: string; readonly to: string; readonly why: string }[] = [];

const rank = new Map(LAYERS.flatMap((names, i) => names.map((name) => [name, i] as const)));

function layerOf(file: string): string {
  const [top = ''] = relative(LIB, file).split('/');
  return top.replace(/\.ts$/, '');
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

// Static imports and re-exports (`import ... from`, `export ... from`, `import '...'`) and
// dynamic `import('...')`, with a literal specifier.
const IMPORT =
  /(?:^|[\s;])(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm;

/** Every relative import in a TypeScript source, as written. */
function parseImports(source: string): string[] {
  const withoutComments = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...withoutComments.matchAll(IMPORT)].flatMap((m) => {
    const spec = m[1] ?? m[2] ?? m[3];
    return spec?.startsWith('.') ? [spec] : [];
  });
}

interface Edge {
  readonly from: string;
  readonly to: string;
}

function importsAgainstTheFlow(sources: readonly { file: string; text: string }[]): Edge[] {
  const edges: Edge[] = [];
  for (const { file, text } of sources) {
    for (const spec of parseImports(text)) {
      const target = resolve(dirname(file), spec);
      const from = relative(TOOLKIT_ROOT, file);
      const to = relative(TOOLKIT_ROOT, target);
      if (relative(LIB, target).startsWith('..')) {
        edges.push({ from, to }); // lib/ depends on nothing outside it (tools/, bench/, reports/)
        continue;
      }
      const own = rank.get(layerOf(file));
      const theirs = rank.get(layerOf(target));
      if (own === undefined || theirs === undefined || theirs > own) edges.push({ from, to });
    }
  }
  return edges;
}

describe('the import graph of lib/', () => {
  const files = tsFiles(LIB);
  const sources = files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));

  it('puts every module in a layer', () => {
    const unplaced = [...new Set(files.map(layerOf))].filter((layer) => !rank.has(layer));
    expect(unplaced, 'add the new folder to LAYERS in test/architecture.test.ts').toEqual([]);
  });

  it('has no import from a lower layer to a higher one, but the listed exceptions', () => {
    const allowed = (e: Edge) => ALLOWED.some((a) => a.from === e.from && a.to === e.to);
    expect(importsAgainstTheFlow(sources).filter((e) => !allowed(e))).toEqual([]);
  });

  it('lists only exceptions that still happen', () => {
    const found = importsAgainstTheFlow(sources);
    expect(ALLOWED.filter((a) => !found.some((e) => e.from === a.from && e.to === a.to))).toEqual([]);
  });
});

describe('the check itself', () => {
  it('finds static, type-only, re-exported and dynamic imports, not commented ones', () => {
    const source = [
      "import { a } from './a.ts';",
      "import type { B } from '../b/b.ts';",
      'import {',
      '  c,',
      '  type D,',
      "} from '../c.ts';",
      "export { e } from './e.ts';",
      "import './side-effect.ts';",
      "const { f } = await import('../f.ts');",
      "// import { g } from './g.ts';",
      "/* import { h } from './h.ts'; */",
      "import { readFile } from 'node:fs/promises';",
    ].join('\n');
    expect(parseImports(source)).toEqual([
      './a.ts',
      '../b/b.ts',
      '../c.ts',
      './e.ts',
      './side-effect.ts',
      '../f.ts',
    ]);
  });

  it('feed a check that catches an import against the flow, or out of lib/', () => {
    const at = (path: string, text: string) => ({ file: join(LIB, path), text });
    expect(
      importsAgainstTheFlow([
        at('data/example.ts', "import type { Chart } from '../charts/chart.ts';"),
        at('charts/example.ts', "import { openDataset } from '../data/dataset.ts';"),
        at('errors.ts', "import { TOOLKIT_ROOT } from './paths.ts';"),
        at('kpi/example.ts', "import { Rng } from '../../tools/generate-sample/rng.ts';"),
        at('cli/example.ts', "import { buildKpiReference } from '../docs/kpi-reference.ts';"),
      ]),
    ).toEqual([
      { from: 'lib/data/example.ts', to: 'lib/charts/chart.ts' },
      { from: 'lib/kpi/example.ts', to: 'tools/generate-sample/rng.ts' },
    ]);
  });
});
