import { createHash } from 'node:crypto';
import {
  buildLevels,
  canonicalJson,
  ENTRY,
  type EventEnvelope,
  inclusionPath,
  isHash,
  PACK_FORMAT,
  type PackManifest,
  rootFromLevels,
} from '@proofpane/evidence-verifier';
import { merkleHasher, sha256Hex } from '../crypto/sha256.js';
import type { Signer } from '../crypto/signing-keys.js';
import { signCheckpoint } from './checkpoint.js';
import { writeZip } from './zip-writer.js';

export interface BuildEvidencePackOptions {
  org: string;
  createdAt: string;
  /** The filter that chose the events, recorded as is in the manifest. */
  selection: Record<string, unknown>;
  /** The selected events of `org`, ascending by seq, each with its hash. */
  events: Iterable<EventEnvelope>;
  /** Hex hashes of the org's events seq 1..n: the tree the checkpoint signs. */
  treeHashes: readonly string[];
  checkpointTime: string;
  signer: Signer;
  /** DEFLATE level of the archive entries; 6 unless given. */
  compressionLevel?: number;
}

export interface EvidencePack {
  zip: Uint8Array;
  manifest: PackManifest;
  manifestBytes: Uint8Array;
  /** Hex SHA-256 of manifest.json, which the export event records. */
  manifestSha256: string;
}

const CHUNK = 1 << 20;

/**
 * Builds a `proofpane.evidence-pack/1` archive (docs/evidence-pack.md): the events, an inclusion
 * proof for each against a freshly signed checkpoint over `treeHashes`, and the signed manifest.
 * Pure apart from signing; throws when the inputs do not describe one consistent chain.
 */
export function buildEvidencePack(options: BuildEvidencePackOptions): EvidencePack {
  const { org, treeHashes, signer } = options;
  const badHash = treeHashes.findIndex((h) => !isHash(h));
  if (badHash >= 0) throw new Error(`tree hash of seq ${badHash + 1} is not 64 lower-case hex`);
  const levels = buildLevels(
    merkleHasher,
    treeHashes.map((h) => merkleHasher.leaf(Buffer.from(h, 'hex'))),
  );
  const root = Buffer.from(rootFromLevels(merkleHasher, levels)).toString('hex');
  const hex = levels.map(() => new Map<number, string>());
  const nodeHex = (level: number, index: number, node: Uint8Array) => {
    let h = hex[level]!.get(index);
    if (h === undefined) {
      h = Buffer.from(node).toString('hex');
      if (level > 0) hex[level]!.set(index, h);
    }
    return h;
  };

  const events = new ChunkWriter();
  const proofs = new ChunkWriter();
  proofs.write('{');
  let count = 0;
  let lastSeq = 0;
  for (const event of options.events) {
    if (event.org !== org) throw new Error(`event seq ${event.seq} belongs to org ${event.org}, not ${org}`);
    if (!(event.seq > lastSeq)) throw new Error(`events must ascend by seq; ${event.seq} follows ${lastSeq}`);
    if (event.seq > treeHashes.length) throw new Error(`event seq ${event.seq} is beyond the tree`);
    if (treeHashes[event.seq - 1] !== event.hash)
      throw new Error(`event seq ${event.seq} is not the one in the tree`);
    lastSeq = event.seq;
    events.write(`${canonicalJson(event)}\n`);
    const path = pathHex(levels, event.seq - 1, nodeHex);
    proofs.write(`${count === 0 ? '' : ','}"${event.seq}":[${path}]`);
    count++;
  }
  proofs.write('}');
  const eventsChunks = events.end();
  const proofsChunks = proofs.end();

  const checkpoint = signCheckpoint(
    { org, size: treeHashes.length, root, time: options.checkpointTime },
    signer,
  );
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    org,
    createdAt: options.createdAt,
    selection: options.selection,
    events: { path: ENTRY.events, count, sha256: hashChunks(eventsChunks) },
    proofs: { path: ENTRY.proofs, sha256: hashChunks(proofsChunks) },
    checkpoint,
    signingKey: { keyId: signer.keyId, publicKey: Buffer.from(signer.publicKey).toString('base64') },
  };
  const manifestBytes = new Uint8Array(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'));
  const signature = Buffer.from(Buffer.from(signer.sign(manifestBytes)).toString('base64'), 'ascii');
  const zip = writeZip(
    [
      { name: ENTRY.manifest, chunks: [manifestBytes] },
      { name: ENTRY.signature, chunks: [signature] },
      { name: ENTRY.events, chunks: eventsChunks },
      { name: ENTRY.proofs, chunks: proofsChunks },
    ],
    {
      mtime: new Date(options.createdAt),
      ...(options.compressionLevel === undefined ? {} : { level: options.compressionLevel }),
    },
  );
  return { zip, manifest, manifestBytes, manifestSha256: sha256Hex(manifestBytes) };
}

function pathHex(
  levels: Uint8Array[][],
  index: number,
  nodeHex: (level: number, index: number, node: Uint8Array) => string,
): string {
  const path = inclusionPath(levels, index);
  const out: string[] = [];
  let i = index;
  let level = 0;
  for (const node of path) {
    while ((i ^ 1) >= levels[level]!.length) {
      i >>= 1;
      level++;
    }
    out.push(`"${nodeHex(level, i ^ 1, node)}"`);
    i >>= 1;
    level++;
  }
  return out.join(',');
}

function hashChunks(chunks: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

class ChunkWriter {
  private parts: string[] = [];
  private size = 0;
  private readonly chunks: Uint8Array[] = [];

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) this.flush();
  }

  end(): Uint8Array[] {
    this.flush();
    return this.chunks.length > 0 ? this.chunks : [new Uint8Array(0)];
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    this.chunks.push(Buffer.from(this.parts.join(''), 'utf8'));
    this.parts = [];
    this.size = 0;
  }
}
