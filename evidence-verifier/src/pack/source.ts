/**
 * Random access to an archive's bytes. The verifier reads the ZIP central directory from the end
 * and each entry by offset through this, so it never needs the archive whole: a file, a browser
 * `Blob` (a dropped `File`) or bytes already in memory all fit.
 */
export interface PackSource {
  /** The archive's length in bytes. */
  readonly size: number;
  /** The bytes in [offset, offset + length), fewer only where the archive ends. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** What `verifyPack` accepts: bytes in memory, a Blob (or File), or any random-access source. */
export type PackInput = Uint8Array | Blob | PackSource;

/** Bytes in memory, read in place. */
export class BytesSource implements PackSource {
  constructor(readonly bytes: Uint8Array) {}

  get size(): number {
    return this.bytes.length;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.bytes.subarray(offset, Math.min(offset + length, this.bytes.length));
  }
}

/** A Blob, read slice by slice, so a dropped file is never loaded whole into the page. */
export class BlobSource implements PackSource {
  constructor(private readonly blob: Blob) {}

  get size(): number {
    return this.blob.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    return new Uint8Array(await this.blob.slice(offset, offset + length).arrayBuffer());
  }
}

/** Duck-typed, as bytes and Blobs from another realm (a worker, a frame) fail `instanceof`. */
export function toPackSource(input: PackInput): PackSource {
  if (ArrayBuffer.isView(input))
    return new BytesSource(new Uint8Array(input.buffer, input.byteOffset, input.byteLength));
  if (typeof (input as PackSource).read === 'function') return input as PackSource;
  return new BlobSource(input as Blob);
}

/** Reads exactly `length` bytes at `offset`, or returns undefined when the archive ends first. */
export async function readExactly(
  source: PackSource,
  offset: number,
  length: number,
): Promise<Uint8Array | undefined> {
  if (offset < 0 || offset + length > source.size) return undefined;
  const bytes = await readOrFail(source, offset, length);
  return bytes.length === length ? bytes : undefined;
}

/** The bytes in [from, from + length), in slices of at most `slice` bytes. */
export async function* sourceSlices(
  source: PackSource,
  from: number,
  length: number,
  slice: number,
): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < length; ) {
    const bytes = await readOrFail(source, from + at, Math.min(slice, length - at));
    // A source that shrank under us (a file truncated while read) must not loop forever.
    if (bytes.length === 0)
      throw new SourceError(
        `archive ends at byte ${from + at}, before the data its directory points at (truncated?)`,
      );
    at += bytes.length;
    yield bytes;
  }
}

async function readOrFail(source: PackSource, offset: number, length: number): Promise<Uint8Array> {
  try {
    return await source.read(offset, length);
  } catch (error) {
    throw new SourceError(`cannot read the archive: ${(error as Error).message}`);
  }
}

/** The archive could not be read where its directory points; the verifier reports it as unusable. */
export class SourceError extends Error {
  override name = 'SourceError';
}
