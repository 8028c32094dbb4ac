import { pipeline, Readable, type TransformOptions } from 'node:stream';
import { createInflateRaw, type ZlibOptions } from 'node:zlib';
import type { Inflater } from '../pack/inflate.js';

const SLICE = 512 * 1024;

/**
 * node:zlib inflation on the libuv pool, read ahead while the verifier works on earlier chunks.
 * The read-ahead is bounded by the stream's high-water marks, so a consumer that stops early (an
 * entry inflating beyond its size) leaves at most a few chunks inflated.
 */
export const nodeInflate: Inflater = (compressed) => {
  const options: ZlibOptions & TransformOptions = { chunkSize: SLICE, readableHighWaterMark: 4 * SLICE };
  const inflater = createInflateRaw(options);
  // pipeline, not pipe: a failed read must fail the inflater (pipe would leave it waiting), and
  // a consumer that stops must stop the reads.
  pipeline(Readable.from(compressed, { objectMode: false }), inflater, () => {});
  return inflater;
};
