/** The format identifier in every manifest of this version. */
export const PACK_FORMAT = 'proofpane.evidence-pack/1';

/** The only entries a pack may hold, all at the archive root. */
export const ENTRY = {
  manifest: 'manifest.json',
  signature: 'manifest.sig',
  events: 'events.jsonl',
  proofs: 'proofs.json',
} as const;

export const PACK_ENTRIES: readonly string[] = Object.values(ENTRY);

/** A signed tree head of an org's chain: RFC 6962 root over the hashes of seq 1..size. */
export interface Checkpoint {
  org: string;
  size: number;
  root: string;
  time: string;
  keyId: string;
}

export interface SignedCheckpoint extends Checkpoint {
  /** base64 Ed25519 signature over JCS of the checkpoint without `signature`. */
  signature: string;
}

/** manifest.json of a `proofpane.evidence-pack/1` archive (docs/evidence-pack.md). */
export interface PackManifest {
  format: typeof PACK_FORMAT;
  org: string;
  createdAt: string;
  selection: Record<string, unknown>;
  events: { path: typeof ENTRY.events; count: number; sha256: string };
  proofs: { path: typeof ENTRY.proofs; sha256: string };
  checkpoint: SignedCheckpoint;
  signingKey: { keyId: string; publicKey: string };
}
