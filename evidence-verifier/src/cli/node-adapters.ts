import { createHash, hash } from 'node:crypto';
import type { VerifyOptions } from '../pack/verify-pack.js';
import { nodeInflate } from './node-inflate.js';
import { proofsThread } from './proofs-thread.js';

export { nodeInflate } from './node-inflate.js';

/** The faster Node implementations of what the library takes portable defaults for. */
export const nodeAdapters: Pick<VerifyOptions, 'sha256' | 'createSha256' | 'inflate' | 'parallelProofs'> = {
  sha256: (data) => hash('sha256', data, 'buffer'),
  createSha256: () => createHash('sha256'),
  inflate: nodeInflate,
  parallelProofs: proofsThread(),
};
