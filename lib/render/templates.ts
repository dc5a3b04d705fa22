import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Handlebars from 'handlebars';
import { PulseError } from '../errors.ts';
import { TOOLKIT_ROOT } from '../paths.ts';

export const TEMPLATES_DIR = `${TOOLKIT_ROOT}/templates`;
const PARTIALS = ['block', 'section', 'tile', 'chart', 'table'] as const;

type Template = (context: unknown) => string;
let cache: Templates | undefined;

/**
 * The Handlebars templates, compiled once per process. An isolated instance: no global
 * helpers or partials leak in. `{{ }}` escapes; `{{{ }}}` is allowed only for markup the project
 * renders itself (see test/render/templates.test.ts).
 */
export function loadTemplates(templatesDir = TEMPLATES_DIR): Templates {
  if (cache && templatesDir === TEMPLATES_DIR) return cache;
  const loaded = compileTemplates(templatesDir);
  if (templatesDir === TEMPLATES_DIR) cache = loaded;
  return loaded;
}

/**
 * Reads the templates from disk again and makes them the ones every render of this process uses
 * (`loadTemplates()`): the dev server calls it after a file under templates/ changed, with its
 * project's folder. A syntax error names the file and line, and leaves the previous ones in use.
 */
export function reloadTemplates(templatesDir = TEMPLATES_DIR): Templates {
  cache = compileTemplates(templatesDir, { check: true });
  return cache;
}

type Templates = { report: Template; email: Template; css: string };

function compileTemplates(templatesDir: string, options: { check?: boolean } = {}): Templates {
  const hbs = Handlebars.create();
  const read = (name: string) => {
    const text = readFileSync(`${templatesDir}/${name}`, 'utf8');
    // Handlebars compiles on first use; parsing now puts the file's name on a syntax error.
    if (options.check && name.endsWith('.hbs')) checkSyntax(hbs, `${templatesDir}/${name}`, text);
    return text;
  };
  for (const name of PARTIALS) hbs.registerPartial(name, read(`partials/${name}.hbs`));
  const compile = (name: string) => hbs.compile(read(name), { strict: false, preventIndent: true });
  return {
    report: compile('report.hbs'),
    email: compile('email.hbs'),
    css: `${fontFaces()}\n${read('report.css')}`,
  };
}

function checkSyntax(hbs: typeof Handlebars, path: string, text: string): void {
  try {
    hbs.parse(text);
  } catch (error) {
    const { message, lineNumber } = error as Error & { lineNumber?: number };
    const line = lineNumber ?? Number(/on line (\d+)/.exec(message)?.[1] ?? 0);
    throw new PulseError('usage', `${path}${line ? `:${line}` : ''}: ${message}`, { cause: error });
  }
}

/** Source Sans 3 embedded, so the report looks the same on every machine and works offline. */
function fontFaces(): string {
  const require = createRequire(import.meta.url);
  const dir = `${require.resolve('source-sans/package.json').replace(/package\.json$/, '')}WOFF2/TTF`;
  const face = (file: string, weight: number) =>
    `@font-face{font-family:'Source Sans 3';font-style:normal;font-weight:${weight};font-display:swap;src:url(data:font/woff2;base64,${readFileSync(`${dir}/${file}`).toString('base64')}) format('woff2');}`;
  return [face('SourceSans3-Regular.ttf.woff2', 400), face('SourceSans3-Semibold.ttf.woff2', 600)].join('\n');
}
