import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Handlebars from 'handlebars';
import { PROJECT_ROOT } from '../paths.ts';

export const TEMPLATES_DIR = `${PROJECT_ROOT}/templates`;
const PARTIALS = ['block', 'section', 'tile', 'chart', 'table'] as const;

type Template = (context: unknown) => string;
let cache: { report: Template; email: Template; css: string } | undefined;

/**
 * The Handlebars templates, compiled once per process. An isolated instance: no global
 * helpers or partials leak in. `{{ }}` escapes; `{{{ }}}` is allowed only for markup the project
 * renders itself (see test/render/templates.test.ts).
 */
export function loadTemplates(templatesDir = TEMPLATES_DIR): {
  report: Template;
  email: Template;
  css: string;
} {
  if (cache && templatesDir === TEMPLATES_DIR) return cache;
  const hbs = Handlebars.create();
  const read = (name: string) => readFileSync(`${templatesDir}/${name}`, 'utf8');
  for (const name of PARTIALS) hbs.registerPartial(name, read(`partials/${name}.hbs`));
  const compile = (name: string) => hbs.compile(read(name), { strict: false, preventIndent: true });
  const loaded = {
    report: compile('report.hbs'),
    email: compile('email.hbs'),
    css: `${fontFaces()}\n${read('report.css')}`,
  };
  if (templatesDir === TEMPLATES_DIR) cache = loaded;
  return loaded;
}

/** Source Sans 3 embedded, so the report looks the same on every machine and works offline. */
function fontFaces(): string {
  const require = createRequire(import.meta.url);
  const dir = `${require.resolve('source-sans/package.json').replace(/package\.json$/, '')}WOFF2/TTF`;
  const face = (file: string, weight: number) =>
    `@font-face{font-family:'Source Sans 3';font-style:normal;font-weight:${weight};font-display:swap;src:url(data:font/woff2;base64,${readFileSync(`${dir}/${file}`).toString('base64')}) format('woff2');}`;
  return [face('SourceSans3-Regular.ttf.woff2', 400), face('SourceSans3-Semibold.ttf.woff2', 600)].join('\n');
}
