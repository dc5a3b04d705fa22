import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * A file pattern relative to the data folder: `*` and `?` within a name, `**` for any number
 * of folders, `{a,b}` for alternatives. Matching ignores case, as exports are named by hand.
 */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i] as string;
    if (char === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '{') {
      const close = pattern.indexOf('}', i);
      if (close < 0) source += '\\{';
      else {
        const options = pattern
          .slice(i + 1, close)
          .split(',')
          .map(escapeRegExp);
        source += `(?:${options.join('|')})`;
        i = close;
      }
    } else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, 'i');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Every file under a folder, as paths relative to it with `/` separators, sorted. */
export async function listFiles(dir: string, depth = 6): Promise<string[]> {
  const out: string[] = [];
  const walk = async (folder: string, level: number): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (level < depth && !entry.name.startsWith('.')) await walk(path, level + 1);
      } else out.push(relative(dir, path).split(sep).join('/'));
    }
  };
  await walk(dir, 0);
  return out.sort();
}

/** The files matching any of the patterns, in name order. */
export function matchFiles(files: readonly string[], patterns: readonly string[]): string[] {
  const expressions = patterns.map(globToRegExp);
  return files.filter((file) => expressions.some((re) => re.test(file)));
}
