import { close, constants, fstat, open, read, type Stats, stat } from 'node:fs';
import { promisify } from 'node:util';
import type { PackSource } from '../pack/source.js';

const openAsync = promisify(open);
const fstatAsync = promisify(fstat);
const statAsync = promisify(stat);
const closeAsync = promisify(close);
const readAsync = promisify(read);

/** The path names something other than a regular file: a FIFO, a device, a directory, a socket. */
export class NotARegularFileError extends Error {
  override name = 'NotARegularFileError';
  constructor(file: string, stats: Stats) {
    super(`${file} is ${kindOf(stats)}, not a regular file; save the pack to a file and verify that`);
  }
}

/**
 * A pack file read by offset through its descriptor, never whole. The descriptor is a plain
 * number so a worker thread of this process can read the same open file.
 */
export class FileSource implements PackSource {
  constructor(
    readonly fd: number,
    readonly size: number,
  ) {}

  /**
   * Opens a regular file, refusing anything else before reading it. Opening a FIFO for reading
   * blocks until a writer appears, so the path is checked first and the open itself does not
   * block (O_NONBLOCK has no effect on a regular file); the descriptor is checked again, in case
   * the path was swapped in between.
   */
  static async open(file: string): Promise<FileSource> {
    const before = await statAsync(file);
    if (!before.isFile()) throw new NotARegularFileError(file, before);
    const fd = await openAsync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const stats = await fstatAsync(fd);
      if (!stats.isFile()) throw new NotARegularFileError(file, stats);
      return new FileSource(fd, stats.size);
    } catch (error) {
      await closeAsync(fd);
      throw error;
    }
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const buffer = new Uint8Array(Math.max(0, Math.min(length, this.size - offset)));
    let at = 0;
    while (at < buffer.length) {
      const { bytesRead } = await readAsync(this.fd, buffer, at, buffer.length - at, offset + at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return buffer.subarray(0, at);
  }

  close(): Promise<void> {
    return closeAsync(this.fd);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'something else';
}
