import { hash } from 'node:crypto';
import { MerkleHasher, type Sha256 } from '@proofpane/evidence-verifier';

// One-shot crypto.hash is several times faster than createHash() for small inputs.
export const sha256: Sha256 = (data) => hash('sha256', data, 'buffer');

export const sha256Hex = (data: string | Uint8Array): string => hash('sha256', data, 'hex');

export const merkleHasher = new MerkleHasher(sha256);
