import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { TEMPLATES_DIR } from '../../lib/render/templates.ts';

// Raw output is allowed only for markup the project renders itself.
const RAW_ALLOWED = new Set(['css', 'svg', 'sparklineSvg', 'markdownHtml']);

it('templates put data only through escaping {{ }}; {{{ }}} only for project-made markup', async () => {
  const files: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.hbs')) files.push(path);
    }
  };
  await walk(TEMPLATES_DIR);
  expect(files.length).toBeGreaterThan(3);
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const match of text.matchAll(/\{\{\{\s*([^}\s]+)\s*\}\}\}/g)) {
      expect(RAW_ALLOWED, `${file}: {{{${match[1]}}}}`).toContain(match[1]);
    }
    expect(text, `${file} must not use {{& ...}}`).not.toMatch(/\{\{&/);
  }
});
