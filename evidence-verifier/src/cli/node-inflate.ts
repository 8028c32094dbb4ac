import { Readable, type TransformOptions } from 'node:stream';
import { createInflateRaw, type ZlibOptions } from 'node:zlib';
import type { Inflater } from '../pack/inflate.js';

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
