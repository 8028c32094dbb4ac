import { hashes, verify } from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { canonicalJson } from '../chain/envelope.js';
import { toHex } from '../chain/hex.js';
import type { Sha256 } from '../chain/sha256.js';
import type { Checkpoint, SignedCheckpoint } from './format.js';

hashes.sha512 = sha512;

const encoder = new TextEncoder();

/** Ed25519 (RFC 8032) verification; malformed keys or signatures verify as false. */
export function verifyEd25519(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}

/** The bytes a checkpoint signature covers: JCS of the checkpoint without `signature`. */
export function checkpointSigningInput(checkpoint: Checkpoint | SignedCheckpoint): Uint8Array {
  const { org, size, root, time, keyId } = checkpoint;
  return encoder.encode(canonicalJson({ org, size, root, time, keyId }));
}

/** keyId of a raw Ed25519 public key: the first 16 hex characters of its SHA-256. */
export const keyIdFor = (publicKey: Uint8Array, sha256: Sha256): string =>
  toHex(sha256(publicKey)).slice(0, 16);

/** Strict base64 (RFC 4648 §4, padded) to bytes; undefined when the text is not that. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
