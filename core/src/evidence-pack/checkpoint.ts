import { type Checkpoint, checkpointSigningInput, type SignedCheckpoint } from '@proofpane/evidence-verifier';
import type { Signer } from '../crypto/signing-keys.js';

/** Signs a tree head of an org's chain; the signature covers JCS of the checkpoint without it. */
export function signCheckpoint(head: Omit<Checkpoint, 'keyId'>, signer: Signer): SignedCheckpoint {
  const checkpoint: Checkpoint = {
    org: head.org,
    size: head.size,
    root: head.root,
    time: head.time,
    keyId: signer.keyId,
  };
  const signature = Buffer.from(signer.sign(checkpointSigningInput(checkpoint))).toString('base64');
  return { ...checkpoint, signature };
}
