export {
  canonicalJson,
  type EventEnvelope,
  type EventMeta,
  GENESIS_PREV,
  hashInput,
} from './chain/envelope.js';
export { fromHex, isHash, toHex } from './chain/hex.js';
export {
  buildLevels,
  consistencyProof,
  equalBytes,
  inclusionPath,
  MerkleHasher,
  merkleRoot,
  rootFromLevels,
  verifyConsistency,
  verifyInclusion,
} from './chain/merkle.js';
export { portableSha256, type Sha256 } from './chain/sha256.js';
