import { closeSync, fstatSync, lstatSync, readSync } from 'node:fs';
import { type FileHandle, lstat, mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { confine, type Root } from './confine.js';
import { LIMITS } from './limits.js';
import { openConfinedForReading } from './open-confined.js';
import { openRegular } from './open-regular.js';
import type { EditResult, EntryType, ListEntry, ListResult, ReadResult, WriteResult } from './results.js';
import type { ToolArgs } from './schemas.js';
import { fsError, ToolError } from './tool-error.js';

const notAFile = (shown: string) => new ToolError('not_a_file', `${shown}: not a regular file`);

/** Replaces the whole content through the descriptor, from offset 0 whatever the handle's position. */
async function replaceContent(handle: FileHandle, text: string) {
  const buffer = Buffer.from(text, 'utf8');
  await handle.truncate(0);
  let written = 0;
  while (written < buffer.length) {
    const { bytesWritten } = await handle.write(buffer, written, buffer.length - written, written);
    written += bytesWritten;
  }
}

/**
 * Synchronous on purpose: at most LIMITS.readBytes of a local file takes microseconds, while four thread-pool
 * round trips (open, fstat, read, close) cost several times more under load. Being synchronous also lets a
 * runner answer a `read` in the turn that brought it (see `INLINE_TOOLS`).
 */
export function readTool(root: Root, args: ToolArgs<'read'>): ReadResult {
  const { fd, shown } = openConfinedForReading(root, args.path);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw notAFile(shown);
    const length = Math.min(info.size, LIMITS.readBytes);
    const buffer = Buffer.allocUnsafe(length);
    const bytesRead = length === 0 ? 0 : readSync(fd, buffer, 0, length, 0);
    return {
      path: shown,
      content: buffer.toString('utf8', 0, bytesRead),
      size: info.size,
      truncated: info.size > bytesRead,
    };
  } catch (err) {
    throw err instanceof ToolError ? err : fsError(err, shown);
  } finally {
    closeSync(fd);
  }
}

export async function writeTool(root: Root, args: ToolArgs<'write'>): Promise<WriteResult> {
  const bytes = Buffer.byteLength(args.content, 'utf8');
  if (bytes > LIMITS.writeBytes) {
    throw new ToolError('too_large', `content is ${bytes} bytes; the limit is ${LIMITS.writeBytes}`);
  }
  const target = await confine(root, args.path);
  try {
    const existed = (await lstat(target.real).catch(() => undefined)) !== undefined;
    await mkdir(dirname(target.real), { recursive: true });
    const file = await openRegular(target.real, 'create');
    if (!file) throw notAFile(target.shown);
    try {
      // Truncated only now: nothing is cut from a path that turns out not to be a regular file.
      await replaceContent(file.handle, args.content);
    } finally {
      await file.handle.close();
    }
    return { path: target.shown, bytes, created: !existed };
  } catch (err) {
    throw err instanceof ToolError ? err : fsError(err, target.shown);
  }
}

export async function editTool(root: Root, args: ToolArgs<'edit'>): Promise<EditResult> {
  const target = await confine(root, args.path);
  try {
    // One descriptor for the check, the read and the write: the file checked is the file changed.
    const file = await openRegular(target.real, 'update');
    if (!file) throw notAFile(target.shown);
    try {
      if (file.size > LIMITS.editFileBytes) {
        throw new ToolError(
          'too_large',
          `${target.shown} is ${file.size} bytes; edit handles up to ${LIMITS.editFileBytes}`,
        );
      }
      const text = await file.handle.readFile('utf8');
      const at = text.indexOf(args.old);
      if (at < 0) throw new ToolError('edit_no_match', `${target.shown}: the old text was not found`);
      if (text.indexOf(args.old, at + 1) >= 0) {
        throw new ToolError(
          'edit_ambiguous',
          `${target.shown}: the old text occurs more than once; include more context`,
        );
      }
      const next = text.slice(0, at) + args.new + text.slice(at + args.old.length);
      if (Buffer.byteLength(next, 'utf8') > LIMITS.writeBytes) {
        throw new ToolError('too_large', `${target.shown} would exceed ${LIMITS.writeBytes} bytes`);
      }
      await replaceContent(file.handle, next);
    } finally {
      await file.handle.close();
    }
    return { path: target.shown, replacements: 1 };
  } catch (err) {
    throw err instanceof ToolError ? err : fsError(err, target.shown);
  }
}

const typeOf = (entry: {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}): EntryType =>
  entry.isSymbolicLink() ? 'symlink' : entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';

export async function listTool(root: Root, args: ToolArgs<'list'>): Promise<ListResult> {
  const target = await confine(root, args.path ?? '.');
  try {
    const dirents = await readdir(target.real, { withFileTypes: true });
    dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const kept = dirents.slice(0, LIMITS.listEntries);
    // Sizes come from synchronous lstat calls: at most LIMITS.listEntries of them, each a few microseconds.
    const entries = kept.map((dirent): ListEntry => {
      const type = typeOf(dirent);
      if (type !== 'file') return { name: dirent.name, type };
      const size = lstatSync(join(target.real, dirent.name), { throwIfNoEntry: false })?.size;
      return size === undefined ? { name: dirent.name, type } : { name: dirent.name, type, size };
    });
    return { path: target.shown, entries, truncated: dirents.length > kept.length };
  } catch (err) {
    throw err instanceof ToolError ? err : fsError(err, target.shown);
  }
}
