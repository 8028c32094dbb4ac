import { lstatSync, realpathSync } from 'node:fs';
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { CommandSandbox } from './sandbox.js';
import { ToolError } from './tool-error.js';

/** The root every tool path is confined to, resolved once: the path as given and its real path. */
export interface Root {
  readonly given: string;
  readonly real: string;
  /** Where `bash` runs for this root; the daemon's default is `host`. */
  readonly sandbox?: CommandSandbox;
}

/** A path that was checked to stay inside the root. `real` has every existing symlink resolved. */
export interface ConfinedPath {
  readonly real: string;
  /** Relative to the root, with `/` separators; `.` for the root itself. */
  readonly shown: string;
}

/** Resolves the `--root` directory once; throws if it does not exist or is not a directory. */
export async function openRoot(dir: string, options: { sandbox?: CommandSandbox } = {}): Promise<Root> {
  const given = resolve(dir);
  const real = await realpath(given);
  const stat = await lstat(real);
  if (!stat.isDirectory()) throw new Error(`${dir} is not a directory`);
  return { given, real, ...(options.sandbox ? { sandbox: options.sandbox } : {}) };
}

const inside = (base: string, target: string) =>
  target === base || target.startsWith(base.endsWith(sep) ? base : base + sep);

const outside = (path: string) =>
  new ToolError('path_outside_root', `${path}: path is outside the root directory`);

/** `join` for one plain segment under a normalised absolute directory, without renormalising the whole path. */
export const below = (dir: string, name: string) => (dir.endsWith(sep) ? dir + name : dir + sep + name);

export const toShown = (rel: string) => (rel === '' ? '.' : rel.split(sep).join('/'));

/** A relative path already in normal form (no empty, `.` or `..` segment) is its own lexical result. */
function isPlainRelative(path: string): boolean {
  if (sep !== '/' || path === '' || path.startsWith('/')) return false;
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') return false;
  }
  return true;
}

/** Lexical step: the path, relative or absolute, must name something under the root before any symlink is read. */
export function lexical(root: Root, path: string): string {
  if (path.includes('\0')) throw new ToolError('invalid_arguments', 'path contains a NUL byte');
  if (isPlainRelative(path)) return path;
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
  return confineSync(root, path);
}

/** `confine` without the promise: every step is a synchronous call of a few microseconds. */
export function confineSync(root: Root, path: string): ConfinedPath {
  const rel = lexical(root, path);
  const plain = withoutLinks(root, rel);
  if (plain) return plain;
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

/**
 * The cheap case: `root.real` is already real, so when every segment below it exists and none is a
 * symlink, the joined path is the real path. One lstat per segment, where realpath(3) reads every
 * segment of the whole absolute path. `undefined` sends anything else down the general route.
 */
function withoutLinks(root: Root, rel: string): ConfinedPath | undefined {
  if (rel === '') return { real: root.real, shown: '.' };
  const segments = rel.split(sep);
  const real = realDirectory(root, segments, segments.length - 1);
  if (real === undefined) return undefined;
  const last = below(real, segments[segments.length - 1]!);
  const stat = lstatSafe(last);
  return stat && !stat.isSymbolicLink() ? { real: last, shown: toShown(rel) } : undefined;
}

/**
 * The real path of the directory made of the first `count` segments below the root, when each of them
 * is a directory and not a symlink; `undefined` otherwise.
 */
export function realDirectory(root: Root, segments: readonly string[], count: number): string | undefined {
  let real = root.real;
  for (let i = 0; i < count; i++) {
    real = below(real, segments[i]!);
    const stat = lstatSafe(real);
    if (!stat?.isDirectory()) return undefined;
  }
  return real;
}

function lstatSafe(path: string) {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
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
