export {
  canonicalJson,
  type EventEnvelope,
  type EventMeta,
  GENESIS_PREV,
  hashInput,
} from './chain/envelope.js';
export { fromHex, isHash, toHex } from './chain/hex.js';
export { InclusionCache } from './chain/inclusion-cache.js';
export { type MemberSpan, type ScanResult, scanCanonicalObject } from './chain/jcs-scan.js';
export {
  buildLevels,
  consistencyProof,
  equalBytes,
  inclusionPath,
  MerkleFrontier,
  MerkleHasher,
  merkleRoot,
  rootFromLevels,
  verifyConsistency,
  verifyInclusion,
} from './chain/merkle.js';
export { portableSha256, type Sha256 } from './chain/sha256.js';
export {
  type Checkpoint,
  ENTRY,
  PACK_ENTRIES,
  PACK_FORMAT,
  type PackManifest,
  type SignedCheckpoint,
} from './pack/format.js';
export { type Inflater, portableInflate, type RatioLimits } from './pack/inflate.js';
export { DEFAULT_LIMITS, type PackLimits } from './pack/limits.js';
export type {
  ParallelProofs,
  ParallelProofsInput,
  ParallelProofsResult,
  ParallelProofsRun,
} from './pack/parallel-proofs.js';
export { type Check, UnusablePackError, type VerifyReport } from './pack/report.js';
export { checkpointSigningInput, fromBase64, keyIdFor, verifyEd25519 } from './pack/signatures.js';
export {
  BlobSource,
  BytesSource,
  type PackInput,
  type PackSource,
  SourceError,
  toPackSource,
} from './pack/source.js';
export {
  type PublishedKey,
  parsePinnedKey,
  parsePublishedKeys,
  type TrustedKeys,
} from './pack/trusted-keys.js';
export { type IncrementalSha256, type VerifyOptions, verifyPack } from './pack/verify-pack.js';
