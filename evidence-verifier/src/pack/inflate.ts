import { Inflate } from 'fflate';
import type { PackLimits } from './limits.js';
import { UnusablePackError } from './report.js';
import { type PackSource, SourceError, sourceSlices } from './source.js';
import type { ZipEntry } from './zip-directory.js';

/**
 * Turns raw DEFLATE data, given as it is read from the archive, into chunks of output. The
 * portable default uses fflate; Node callers may inject node:zlib, which is faster. Size
 * enforcement happens in `entryChunks`, not here; an inflater must produce output lazily, as it is
 * asked for, so that `entryChunks` can stop it the moment an entry grows too large.
 */
export type Inflater = (compressed: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>;

/** fflate is fed this much at a time, which bounds one step's output (≤ 1032 × 16 KiB). */
const SLICE = 16 * 1024;
/** Compressed data is read from the archive this much at a time. */
const READ = 1024 * 1024;

export const portableInflate: Inflater = async function* (compressed) {
  const out: Uint8Array[] = [];
  const inflater = new Inflate((chunk) => {
    out.push(chunk);
  });
  for await (const piece of compressed) {
    for (let at = 0; at < piece.length; at += SLICE) {
      inflater.push(piece.subarray(at, at + SLICE), false);
      while (out.length > 0) yield out.shift()!;
    }
  }
  inflater.push(new Uint8Array(0), true);
  while (out.length > 0) yield out.shift()!;
};

/** The caps `entryChunks` applies besides the entry's own limit. */
export type RatioLimits = Pick<PackLimits, 'inflationRatio' | 'ratioExemptBytes'>;

/**
 * The uncompressed bytes of `entry`, chunk by chunk, read from the archive by offset. Refuses an
 * entry that declares more than `limit` or an inflation ratio above the cap before inflating
 * anything, and stops inflating as soon as the output exceeds the declared size, so the declared
 * size is a ceiling and never merely trusted.
 */
export async function* entryChunks(
  source: PackSource,
  entry: ZipEntry,
  inflate: Inflater,
  limit: number,
  ratio: RatioLimits,
): AsyncIterable<Uint8Array> {
  checkDeclared(entry, limit, ratio);
  const label = JSON.stringify(entry.name);
  const data = () => sourceSlices(source, entry.dataStart, entry.compressedSize, READ);
  if (entry.method === 0) {
    yield* data();
    return;
  }
  let total = 0;
  try {
    for await (const chunk of inflate(data())) {
      total += chunk.length;
      if (total > entry.size)
        throw new UnusablePackError(`entry ${label} inflates beyond its declared ${entry.size} bytes`);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof UnusablePackError || error instanceof SourceError) throw error;
    throw new UnusablePackError(`entry ${label} is not valid DEFLATE data: ${(error as Error).message}`);
  }
  if (total !== entry.size)
    throw new UnusablePackError(`entry ${label} inflates to ${total} bytes, not its declared ${entry.size}`);
}

/**
 * Refuses an entry for what its directory record declares: more than `limit` bytes, a compression
 * other than stored or DEFLATE, or an inflation ratio above the cap. Costs nothing to check, so
 * the verifier checks every entry this way before inflating any.
 */
export function checkDeclared(entry: ZipEntry, limit: number, ratio: RatioLimits): void {
  const label = JSON.stringify(entry.name);
  if (entry.size > limit)
    throw new UnusablePackError(`entry ${label} declares ${entry.size} bytes, above the limit of ${limit}`);
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size)
      throw new UnusablePackError(`stored entry ${label} has inconsistent sizes`);
    return;
  }
  if (entry.method !== 8)
    throw new UnusablePackError(
      `entry ${label} uses compression method ${entry.method}; only DEFLATE is read`,
    );
  if (entry.size > ratio.ratioExemptBytes && entry.size > entry.compressedSize * ratio.inflationRatio)
    throw new UnusablePackError(
      `entry ${label} would inflate ${entry.compressedSize} bytes to ${entry.size}, more than ` +
        `${ratio.inflationRatio} times (a zip bomb?)`,
    );
}

/** A whole small entry in memory. */
export async function readEntry(
  source: PackSource,
  entry: ZipEntry,
  inflate: Inflater,
  limit: number,
  ratio: RatioLimits,
): Promise<Uint8Array> {
  const out = new Uint8Array(entry.size <= limit ? entry.size : 0);
  let at = 0;
  for await (const chunk of entryChunks(source, entry, inflate, limit, ratio)) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
