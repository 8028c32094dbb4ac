import { constants, openSync } from 'node:fs';
import { sep } from 'node:path';
import { below, confineSync, lexical, type Root, realDirectory, toShown } from './confine.js';
import { NON_BLOCKING } from './open-regular.js';
import { fsError } from './tool-error.js';

/** Missing on Windows, where the general route is always taken. */
const NO_FOLLOW: number | undefined = constants.O_NOFOLLOW;

export interface OpenedFile {
  fd: number;
  /** The path as tool results show it: relative to the root, with `/` separators. */
  shown: string;
}

/**
 * Opens a file under the root for reading with the fewest system calls: its parent directories are
 * checked with one lstat each and the file itself is opened with O_NOFOLLOW, so the open fails rather than
 * follow a symlink. Both opens are non-blocking, so a FIFO cannot hold the daemon: the caller refuses
 * anything but a regular file from fstat of the returned descriptor. Anything unusual (a symlink anywhere, a missing parent, an open error) goes the general
 * way through `confineSync`, which decides, refuses escapes and reports errors exactly as before.
 */
export function openConfinedForReading(root: Root, path: string): OpenedFile {
  const rel = lexical(root, path);
  if (NO_FOLLOW !== undefined && rel !== '') {
    const segments = rel.split(sep);
    const dir = realDirectory(root, segments, segments.length - 1);
    if (dir !== undefined) {
      try {
        const fd = openSync(
          below(dir, segments[segments.length - 1]!),
          constants.O_RDONLY | NO_FOLLOW | NON_BLOCKING,
        );
        return { fd, shown: toShown(rel) };
      } catch {
        // ELOOP for a symlink, or an error the general route reports in its own words.
      }
    }
  }
  const target = confineSync(root, path);
  try {
    return { fd: openSync(target.real, constants.O_RDONLY | NON_BLOCKING), shown: target.shown };
  } catch (err) {
    throw fsError(err, target.shown);
  }
}
