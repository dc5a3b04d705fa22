// Watches the project's folders and reports, once per burst of saves, which kinds changed.
// Editors save in several steps (temp file, rename, chmod); the debounce makes that one change.

import { existsSync, type FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';

export type ChangeKind = 'queries' | 'templates' | 'reports' | 'data';

export interface WatchedFolder {
  readonly kind: ChangeKind;
  readonly dir: string;
}

export interface Changes {
  readonly kinds: ReadonlySet<ChangeKind>;
  readonly files: readonly string[];
}

export function watchFolders(
  folders: readonly WatchedFolder[],
  onChange: (changes: Changes) => void,
  debounceMs = 100,
): { close(): void } {
  let kinds = new Set<ChangeKind>();
  let files: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];
  for (const folder of folders) {
    if (!existsSync(folder.dir)) continue;
    const watcher = watch(folder.dir, { recursive: true }, (_event, name) => {
      const file = name ? String(name) : '';
      if (isScratchFile(file)) return;
      kinds.add(folder.kind);
      if (file) files.push(join(folder.dir, file));
      clearTimeout(timer);
      timer = setTimeout(() => {
        const changes = { kinds, files: [...new Set(files)] };
        kinds = new Set();
        files = [];
        onChange(changes);
      }, debounceMs);
    });
    // A folder removed while watched, or too many files for inotify: keep serving, stop watching it.
    watcher.on('error', () => watcher.close());
    watchers.push(watcher);
  }
  return {
    close: () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}

/** Editor swap and backup files, and hidden files: never a change to the project. */
function isScratchFile(file: string): boolean {
  const name = file.split('/').pop() ?? '';
  return name.startsWith('.') || name.endsWith('~') || /\.(swp|swx|tmp)$/.test(name) || /^\d+$/.test(name);
}
