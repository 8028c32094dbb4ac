import { Inflate } from 'fflate';
import { UnusablePackError } from './report.js';
import type { ZipEntry } from './zip-directory.js';

/**
 * Turns raw DEFLATE data into chunks of output. The portable default uses fflate; Node callers
 * may inject node:zlib, which is faster. Size enforcement happens in `entryChunks`, not here.
 */
export type Inflater = (compressed: Uint8Array) => AsyncIterable<Uint8Array>;

const SLICE = 16 * 1024;

export const portableInflate: Inflater = async function* (compressed) {
  const out: Uint8Array[] = [];
  const inflater = new Inflate((chunk) => {
    out.push(chunk);
  });
  if (compressed.length === 0) inflater.push(compressed, true);
  for (let at = 0; at < compressed.length; at += SLICE) {
    inflater.push(compressed.subarray(at, at + SLICE), at + SLICE >= compressed.length);
    while (out.length > 0) yield out.shift()!;
  }
  while (out.length > 0) yield out.shift()!;
};

/**
 * The uncompressed bytes of `entry`, chunk by chunk, refusing to produce more than its declared
 * size or more than `limit` (both checked before inflating starts and while it runs).
 */
export async function* entryChunks(
  zip: Uint8Array,
  entry: ZipEntry,
  inflate: Inflater,
  limit: number,
): AsyncIterable<Uint8Array> {
  const label = JSON.stringify(entry.name);
  if (entry.size > limit)
    throw new UnusablePackError(`entry ${label} declares ${entry.size} bytes, above the limit of ${limit}`);
  const data = zip.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size)
      throw new UnusablePackError(`stored entry ${label} has inconsistent sizes`);
    for (let at = 0; at < data.length; at += 1 << 20) yield data.subarray(at, at + (1 << 20));
    return;
  }
  if (entry.method !== 8)
    throw new UnusablePackError(
      `entry ${label} uses compression method ${entry.method}; only DEFLATE is read`,
    );
  let total = 0;
  try {
    for await (const chunk of inflate(data)) {
      total += chunk.length;
      if (total > entry.size)
        throw new UnusablePackError(`entry ${label} inflates beyond its declared ${entry.size} bytes`);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof UnusablePackError) throw error;
    throw new UnusablePackError(`entry ${label} is not valid DEFLATE data: ${(error as Error).message}`);
  }
  if (total !== entry.size)
    throw new UnusablePackError(`entry ${label} inflates to ${total} bytes, not its declared ${entry.size}`);
}

/** A whole small entry in memory. */
export async function readEntry(
  zip: Uint8Array,
  entry: ZipEntry,
  inflate: Inflater,
  limit: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(entry.size <= limit ? entry.size : 0);
  let at = 0;
  for await (const chunk of entryChunks(zip, entry, inflate, limit)) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
