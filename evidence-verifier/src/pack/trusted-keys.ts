import { fromBase64 } from './signatures.js';

/** A key as published at /.well-known/proofpane-keys.json. */
export interface PublishedKey {
  keyId: string;
  publicKey: string;
  status: 'current' | 'retired';
  from: string;
  until: string | null;
}

/** The keys an auditor trusts: one pinned key, or the platform's published key list. */
export type TrustedKeys = { kind: 'key'; publicKey: Uint8Array } | { kind: 'list'; keys: PublishedKey[] };

/** Parses the published key list; returns an error message instead of throwing. */
export function parsePublishedKeys(text: string): { keys: PublishedKey[] } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { error: 'keys file is not JSON' };
  }
  const list = (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) return { error: 'keys file has no "keys" array' };
  const keys: PublishedKey[] = [];
  for (const item of list as unknown[]) {
    const k = item as Partial<PublishedKey> | null;
    if (
      typeof k?.keyId !== 'string' ||
      typeof k.publicKey !== 'string' ||
      fromBase64(k.publicKey)?.length !== 32 ||
      (k.status !== 'current' && k.status !== 'retired') ||
      typeof k.from !== 'string' ||
      !(k.until === null || k.until === undefined || typeof k.until === 'string')
    )
      return { error: 'keys file has an entry that is not {keyId, publicKey, status, from, until}' };
    keys.push({
      keyId: k.keyId,
      publicKey: k.publicKey,
      status: k.status,
      from: k.from,
      until: k.until ?? null,
    });
  }
  return { keys };
}

/** Parses a pinned key given as base64 of the raw 32 bytes. */
export function parsePinnedKey(base64: string): TrustedKeys | { error: string } {
  const publicKey = fromBase64(base64.trim());
  if (publicKey?.length !== 32) return { error: 'pinned key is not base64 of a 32-byte Ed25519 public key' };
  return { kind: 'key', publicKey };
}
