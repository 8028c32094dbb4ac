import { open } from 'node:fs/promises';

/**
 * Reads a pack file into shared memory, so the proofs worker thread can read proofs.json where it
 * lies instead of in a copy (which would add the compressed proofs to peak memory).
 */
export async function readPackFile(file: string, size: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(new SharedArrayBuffer(size));
  const handle = await open(file, 'r');
  try {
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return bytes.subarray(0, at);
  } finally {
    await handle.close();
  }
}
