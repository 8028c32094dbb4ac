import { lstatSync, realpathSync } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ToolError } from './tool-error.js';

/** The root every tool path is confined to, resolved once: the path as given and its real path. */
export interface Root {
  readonly given: string;
  readonly real: string;
}

/** A path that was checked to stay inside the root. `real` has every existing symlink resolved. */
export interface ConfinedPath {
  readonly real: string;
  /** Relative to the root, with `/` separators; `.` for the root itself. */
  readonly shown: string;
}

/** Resolves the `--root` directory once; throws if it does not exist or is not a directory. */
export async function openRoot(dir: string): Promise<Root> {
  const given = resolve(dir);
  const real = await realpath(given);
  const stat = await lstat(real);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory`);
  return { given, real };
}

const inside = (base: string, target: string) =>
  target === base || target.startsWith(base.endsWith(sep) ? base : base + sep);

const outside = (path: string) =>
  new ToolError('path_outside_root', `${path}: path is outside the root directory`);

const toShown = (rel: string) => (rel === '' ? '.' : rel.split(sep).join('/'));

/** Lexical step: the path, relative or absolute, must name something under the root before any symlink is read. */
function lexical(root: Root, path: string): string {
  if (path.includes('\0')) throw new ToolError('invalid_arguments', 'path contains a NUL byte');
  if (isAbsolute(path)) {
    const target = resolve(path);
    for (const base of [root.real, root.given]) {
      if (inside(base, target)) return relative(base, target);
    }
    throw outside(path);
  }
  const rel = relative(root.real, resolve(root.real, path));
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw outside(path);
  return rel;
}

/**
 * Confines a tool path to the root. `..`, absolute paths elsewhere and symlinks whose target lies outside
 * are refused. For a path that does not exist yet, the deepest existing ancestor is resolved instead, so a
 * symlinked parent directory cannot smuggle a new file out either.
 */
export async function confine(root: Root, path: string): Promise<ConfinedPath> {
  const rel = lexical(root, path);
  const wanted = join(root.real, rel);
  let real: string;
  try {
    // Synchronous: one realpath(3) costs microseconds, less than the thread-pool hop it would otherwise take.
    real = realpathSync.native(wanted);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    real = resolveMissing(root, wanted, path);
  }
  if (!inside(root.real, real)) throw outside(path);
  return { real, shown: toShown(relative(root.real, real)) };
}

function lstatSafe(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function resolveMissing(root: Root, wanted: string, path: string): string {
  // A dangling symlink would let a write create its target wherever it points: refuse it outright.
  const link = lstatSafe(wanted);
  if (link?.isSymbolicLink())
    throw new ToolError('path_outside_root', `${path}: symlink target does not exist`);
  const tail: string[] = [basename(wanted)];
  let dir = dirname(wanted);
  while (inside(root.real, dir)) {
    try {
      const real = realpathSync.native(dir);
      if (!inside(root.real, real)) throw outside(path);
      return join(real, ...tail.reverse());
    } catch (err) {
      if (err instanceof ToolError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') throw err;
      const parentLink = lstatSafe(dir);
      if (parentLink?.isSymbolicLink())
        throw new ToolError('path_outside_root', `${path}: symlink target does not exist`);
      tail.push(basename(dir));
      dir = dirname(dir);
    }
  }
  throw outside(path);
}
