// Watches the project's folders and files and reports, once per burst of saves, which kinds
// changed. Editors save in several steps (temp file, rename, chmod); the debounce makes that one
// change. Folders are watched one by one, never per file: an editor that saves by writing a new
// file and renaming it over the old one (JetBrains "safe write", vim's backupcopy, `sed -i`)
// replaces the file's inode, and a watch on the old file would go silent after the first save
// (Node's recursive watch on Linux watches files). A folder's watch sees every rename into it.

import { existsSync, type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';

export type ChangeKind = 'queries' | 'templates' | 'reports' | 'data' | 'config';

export type Watched =
  | { readonly kind: ChangeKind; readonly dir: string }
  /** One file (the mapping, a config file), wherever it is: watched through its folder. */
  | { readonly kind: ChangeKind; readonly file: string };

export interface Changes {
  readonly kinds: ReadonlySet<ChangeKind>;
  readonly files: readonly string[];
}

export function watchFolders(
  targets: readonly Watched[],
  onChange: (changes: Changes) => void,
  debounceMs = 100,
): { close(): void } {
  let kinds = new Set<ChangeKind>();
  let files: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const changed = (kind: ChangeKind, file: string) => {
    kinds.add(kind);
    files.push(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changes = { kinds, files: [...new Set(files)] };
      kinds = new Set();
      files = [];
      onChange(changes);
    }, debounceMs);
  };
  const watchers: FSWatcher[] = [];
  const watchDir = (dir: string, onEntry: (file: string) => void, deep: boolean, seen: Set<string>) => {
    if (seen.has(dir)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => {
        if (!name) return;
        const file = join(dir, String(name));
        // A folder made (or moved) in: watched too, so files saved in it later are seen.
        if (deep && isFolder(file)) watchDir(file, onEntry, deep, seen);
        onEntry(file);
      });
    } catch {
      return; // gone, or not readable: nothing to watch
    }
    seen.add(dir);
    // A folder removed while watched, or too many watches: keep serving, stop watching it.
    watcher.on('error', () => {
      watcher.close();
      seen.delete(dir);
    });
    watchers.push(watcher);
    if (!deep) return;
    for (const entry of safeEntries(dir))
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
        watchDir(join(dir, entry.name), onEntry, deep, seen);
  };
  const watchTree = (dir: string, kind: ChangeKind, seen: Set<string>) =>
    watchDir(
      dir,
      (file) => {
        if (!isScratchFile(file)) changed(kind, file);
      },
      true,
      seen,
    );
  // A folder not made yet (a project's queries/ before its first KPI): its nearest existing
  // ancestor is watched until the folder appears; then the folder is watched like the others,
  // and what it already holds (a folder copied in whole) counts as changed.
  const watchWhenMade = (dir: string, kind: ChangeKind, seen: Set<string>) => {
    let ancestor = dirname(dir);
    while (!existsSync(ancestor) && dirname(ancestor) !== ancestor) ancestor = dirname(ancestor);
    watchDir(
      ancestor,
      (entry) => {
        if (seen.has(dir) || !(entry === dir || dir.startsWith(`${entry}${sep}`)) || !isFolder(entry)) return;
        if (entry !== dir) return watchWhenMade(dir, kind, seen);
        watchTree(dir, kind, seen);
        changed(kind, dir);
        for (const file of filesUnder(dir)) if (!isScratchFile(file)) changed(kind, file);
      },
      false,
      new Set(),
    );
  };
  for (const target of targets) {
    if ('dir' in target) {
      if (existsSync(target.dir)) watchTree(target.dir, target.kind, new Set());
      else watchWhenMade(target.dir, target.kind, new Set());
    } else {
      const name = basename(target.file);
      watchDir(
        dirname(target.file),
        (file) => {
          if (basename(file) === name) changed(target.kind, file);
        },
        false,
        new Set(),
      );
    }
  }
  return {
    close: () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function filesUnder(dir: string): string[] {
  return safeEntries(dir).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

function safeEntries(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Editor swap and backup files, and hidden files: never a change to the project. */
function isScratchFile(file: string): boolean {
  const name = file.split('/').pop() ?? '';
  return name.startsWith('.') || name.endsWith('~') || /\.(swp|swx|tmp)$/.test(name) || /^\d+$/.test(name);
}
