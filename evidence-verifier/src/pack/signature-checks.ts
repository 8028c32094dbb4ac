import { equalBytes } from '../chain/merkle.js';
import type { Sha256 } from '../chain/sha256.js';
import type { PackManifest } from './format.js';
import type { CheckLog } from './report.js';
import { checkpointSigningInput, fromBase64, keyIdFor, verifyEd25519 } from './signatures.js';
import type { TrustedKeys } from './trusted-keys.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Checks the signing key, the manifest signature, the checkpoint signature and the pinned key. */
export function checkSignatures(options: {
  manifest: PackManifest;
  manifestBytes: Uint8Array;
  signature: Uint8Array;
  trust: TrustedKeys | undefined;
  sha256: Sha256;
  log: CheckLog;
}): void {
  const { manifest, log, trust, sha256 } = options;
  const key = fromBase64(manifest.signingKey.publicKey);
  if (key?.length !== 32) {
    log.fail('signing-key', 'signingKey.publicKey is not base64 of a 32-byte Ed25519 key');
    return;
  }
  const keyId = keyIdFor(key, sha256);
  if (keyId === manifest.signingKey.keyId) log.pass('signing-key', `signing key ${keyId}`);
  else
    log.fail('signing-key', `signingKey.keyId is ${manifest.signingKey.keyId}, but the key's id is ${keyId}`);

  let sigText = '';
  try {
    sigText = utf8.decode(options.signature).trim();
  } catch {}
  const sig = fromBase64(sigText);
  if (sig && verifyEd25519(key, options.manifestBytes, sig))
    log.pass('manifest.signature', `manifest.json is signed by key ${keyId}`);
  else
    log.fail('manifest.signature', `manifest.sig is not a valid signature of manifest.json by key ${keyId}`);

  const checkpoint = manifest.checkpoint;
  if (checkpoint.org === manifest.org) log.pass('checkpoint.org', `checkpoint is of org ${checkpoint.org}`);
  else log.fail('checkpoint.org', `checkpoint is of org ${checkpoint.org}, the pack of ${manifest.org}`);
  const checkpointKey = checkpoint.keyId === keyId ? key : publishedKey(trust, checkpoint.keyId);
  const checkpointSig = fromBase64(checkpoint.signature);
  if (!checkpointKey)
    log.fail(
      'checkpoint.signature',
      `checkpoint is signed by key ${checkpoint.keyId}, which is neither the pack's nor trusted`,
    );
  else if (checkpointSig && verifyEd25519(checkpointKey, checkpointSigningInput(checkpoint), checkpointSig))
    log.pass(
      'checkpoint.signature',
      `checkpoint of size ${checkpoint.size} is signed by key ${checkpoint.keyId}`,
    );
  else log.fail('checkpoint.signature', `checkpoint signature does not verify with key ${checkpoint.keyId}`);

  checkPinned({ manifest, key, keyId, trust, log });
}

function checkPinned(options: {
  manifest: PackManifest;
  key: Uint8Array;
  keyId: string;
  trust: TrustedKeys | undefined;
  log: CheckLog;
}): void {
  const { trust, key, keyId, log, manifest } = options;
  if (!trust) {
    log.warnings.push(
      `No key pinned: the signatures only show that whoever holds key ${keyId} made this pack, and anyone could ` +
        'have made such a key. Pin the platform key with --key or --keys (/.well-known/proofpane-keys.json).',
    );
    return;
  }
  if (trust.kind === 'key') {
    if (equalBytes(trust.publicKey, key)) log.pass('signing-key.pinned', `key ${keyId} is the pinned key`);
    else log.fail('signing-key.pinned', `pack is signed by key ${keyId}, not by the pinned key`);
    return;
  }
  const published = trust.keys.find((k) => k.keyId === keyId && equalBytes(fromBase64(k.publicKey)!, key));
  if (!published) {
    log.fail('signing-key.pinned', `key ${keyId} is not among the trusted published keys`);
    return;
  }
  if (published.until !== null && manifest.createdAt > published.until) {
    log.fail(
      'signing-key.pinned',
      `key ${keyId} was retired at ${published.until}, before the pack was made`,
    );
    return;
  }
  if (published.status === 'retired') log.warnings.push(`pack is signed by retired key ${keyId}`);
  log.pass('signing-key.pinned', `key ${keyId} is a trusted published key (${published.status})`);
}

function publishedKey(trust: TrustedKeys | undefined, keyId: string): Uint8Array | undefined {
  if (trust?.kind !== 'list') return undefined;
  const found = trust.keys.find((k) => k.keyId === keyId);
  return found ? fromBase64(found.publicKey) : undefined;
}
