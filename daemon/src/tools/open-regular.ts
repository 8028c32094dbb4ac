import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/**
 * O_NONBLOCK makes opening a FIFO return at once instead of waiting for the other end, which would hold a
 * thread (or, for a synchronous open, the whole daemon) forever. It changes nothing for regular files.
 * Both flags are missing on Windows, which has neither FIFOs nor this kind of symlink race.
 */
export const NON_BLOCKING: number = constants.O_NONBLOCK ?? 0;
export const NO_FOLLOW: number = constants.O_NOFOLLOW ?? 0;

const FLAGS = {
  read: constants.O_RDONLY,
  update: constants.O_RDWR,
  create: constants.O_WRONLY | constants.O_CREAT,
} as const;

export interface RegularFile {
  handle: FileHandle;
  size: number;
}

/**
 * Opens `real` (a confined, already resolved path) and keeps it only when the descriptor is a regular
 * file. The type comes from fstat on the opened descriptor, not from an earlier stat of the path, so a
 * FIFO, device or directory swapped in after a check is still refused. `undefined` means "not a regular
 * file"; other failures (missing file, permissions, a symlink put in place of the file) are thrown.
 */
export async function openRegular(
  real: string,
  access: keyof typeof FLAGS,
): Promise<RegularFile | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(real, FLAGS[access] | NON_BLOCKING | NO_FOLLOW, 0o666);
  } catch (err) {
    // Opening a FIFO for writing without O_NONBLOCK would wait for a reader; with it, no reader is ENXIO.
    if ((err as NodeJS.ErrnoException).code === 'ENXIO') return undefined;
    throw err;
  }
  try {
    const info = await handle.stat();
    if (info.isFile()) return { handle, size: info.size };
  } catch (err) {
    await handle.close();
    throw err;
  }
  await handle.close();
  return undefined;
}
