import { createHash, hash } from 'node:crypto';
import { Readable, type TransformOptions } from 'node:stream';
import { createInflateRaw, type ZlibOptions } from 'node:zlib';
import type { Inflater } from '../pack/inflate.js';
import type { VerifyOptions } from '../pack/verify-pack.js';

const SLICE = 512 * 1024;

/** node:zlib inflation on the libuv pool, read ahead while the verifier works on earlier chunks. */
export const nodeInflate: Inflater = (compressed) => {
  const slices = (function* () {
    for (let at = 0; at < compressed.length; at += SLICE) yield compressed.subarray(at, at + SLICE);
  })();
  const options: ZlibOptions & TransformOptions = { chunkSize: SLICE, readableHighWaterMark: 4 * SLICE };
  const inflater = createInflateRaw(options);
  return Readable.from(slices, { objectMode: false }).pipe(inflater);
};

/** The faster Node implementations of what the library takes portable defaults for. */
export const nodeAdapters: Pick<VerifyOptions, 'sha256' | 'createSha256' | 'inflate'> = {
  sha256: (data) => hash('sha256', data, 'buffer'),
  createSha256: () => createHash('sha256'),
  inflate: nodeInflate,
};
