import { sha256 } from '@noble/hashes/sha2.js';

/** A one-shot SHA-256. The library defaults to a portable one; Node callers inject `node:crypto`'s, which is faster. */
export type Sha256 = (data: Uint8Array) => Uint8Array;

export const portableSha256: Sha256 = (data) => sha256(data);
