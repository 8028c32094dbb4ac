import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { LIMITS } from './limits.js';

export interface WalkEntry {
  /** Relative to the walk's base directory, with `/` separators. */
  rel: string;
  real: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
}

export interface WalkOptions {
  /** Real path of the directory to walk (already confined). */
  base: string;
  /** Return false to keep the walk out of a directory (its entry is still yielded). */
  descend?: (rel: string, name: string) => boolean;
  signal?: AbortSignal;
}

/**
 * Depth-first, name-sorted walk that never follows symlinks (so it cannot leave the root or loop) and
 * stops after LIMITS.walkEntries entries. `capped` on the returned object tells the caller the walk stopped early.
 */
export async function walk(options: WalkOptions, visit: (entry: WalkEntry) => Promise<boolean> | boolean) {
  const state = { seen: 0, capped: false };
  const stack: { real: string; rel: string }[] = [{ real: options.base, rel: '' }];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    if (options.signal?.aborted) break;
    const dirents = await readdir(dir.real, { withFileTypes: true }).catch(() => []);
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: { real: string; rel: string }[] = [];
    for (const dirent of dirents) {
      if (++state.seen > LIMITS.walkEntries) {
        state.capped = true;
        return state;
      }
      const rel = dir.rel === '' ? dirent.name : `${dir.rel}/${dirent.name}`;
      const real = join(dir.real, dirent.name);
      const type = dirent.isSymbolicLink()
        ? 'symlink'
        : dirent.isDirectory()
          ? 'dir'
          : dirent.isFile()
            ? 'file'
            : 'other';
      if (!(await visit({ rel, real, type }))) return state;
      if (type === 'dir' && (options.descend?.(rel, dirent.name) ?? true)) subdirs.push({ real, rel });
    }
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
  return state;
}
