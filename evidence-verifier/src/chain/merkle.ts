import { siblingIsLeft, walkAuditPath } from './audit-path.js';
import type { Sha256 } from './sha256.js';

/**
 * RFC 6962 §2.1 Merkle tree hashing over an org's event hashes, with the
 * audit-path and consistency-proof verification algorithms of RFC 9162 §2.1.3–2.1.4.
 */
export class MerkleHasher {
  constructor(private readonly sha256: Sha256) {}

  emptyRoot(): Uint8Array {
    return this.sha256(new Uint8Array(0));
  }

  leaf(data: Uint8Array): Uint8Array {
    const buf = new Uint8Array(data.length + 1);
    buf.set(data, 1);
    return this.sha256(buf);
  }

  node(left: Uint8Array, right: Uint8Array): Uint8Array {
    const buf = new Uint8Array(left.length + right.length + 1);
    buf[0] = 1;
    buf.set(left, 1);
    buf.set(right, 1 + left.length);
    return this.sha256(buf);
  }
}

/**
 * All levels of the tree over `leaves` (already leaf-hashed). An unpaired
 * rightmost node is carried up unchanged, which yields exactly RFC 6962's
 * "largest power of two" split.
 */
export function buildLevels(hasher: MerkleHasher, leaves: Uint8Array[]): Uint8Array[][] {
  const levels: Uint8Array[][] = [leaves];
  let level = leaves;
  while (level.length > 1) {
    const next: Uint8Array[] = new Array(Math.ceil(level.length / 2));
    for (let i = 0; i + 1 < level.length; i += 2) next[i >> 1] = hasher.node(level[i]!, level[i + 1]!);
    if (level.length % 2 === 1) next[next.length - 1] = level[level.length - 1]!;
    levels.push(next);
    level = next;
  }
  return levels;
}

export function rootFromLevels(hasher: MerkleHasher, levels: Uint8Array[][]): Uint8Array {
  const top = levels[levels.length - 1];
  return top && top.length === 1 ? top[0]! : hasher.emptyRoot();
}

/**
 * The right edge of a tree being grown one leaf at a time: the roots of its perfect subtrees, largest
 * first (at most log2(size) of them). Enough to compute the root after every push, so a signer that
 * keeps one need only hash the leaves added since its last tree head.
 */
export class MerkleFrontier {
  private readonly stack: { hash: Uint8Array; size: number }[] = [];
  size = 0;

  constructor(private readonly hasher: MerkleHasher) {}

  /** Adds a leaf (already leaf-hashed). */
  push(leaf: Uint8Array): void {
    let item = { hash: leaf, size: 1 };
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.size === item.size) {
      const left = this.stack.pop()!;
      item = { hash: this.hasher.node(left.hash, item.hash), size: left.size * 2 };
    }
    this.stack.push(item);
    this.size += 1;
  }

  root(): Uint8Array {
    if (this.stack.length === 0) return this.hasher.emptyRoot();
    let acc = this.stack[this.stack.length - 1]!.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) acc = this.hasher.node(this.stack[i]!.hash, acc);
    return acc;
  }
}

/** Root of the tree over `leaves` without keeping the levels: O(log n) memory. */
export function merkleRoot(hasher: MerkleHasher, leaves: Iterable<Uint8Array>): Uint8Array {
  const frontier = new MerkleFrontier(hasher);
  for (const leaf of leaves) frontier.push(leaf);
  return frontier.root();
}

/** Audit path for leaf `index` (RFC 6962 §2.1.1), from levels built over the whole tree. */
export function inclusionPath(levels: Uint8Array[][], index: number): Uint8Array[] {
  const size = levels[0]?.length ?? 0;
  if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError('leaf index out of range');
  const path: Uint8Array[] = [];
  let i = index;
  for (let level = 0; level < levels.length - 1; level++) {
    const nodes = levels[level]!;
    const sibling = i ^ 1;
    if (sibling < nodes.length) path.push(nodes[sibling]!);
    i >>= 1;
  }
  return path;
}

/** RFC 9162 §2.1.3.2: does `path` prove `leaf` at `index` in a tree of `size` with `root`? */
export function verifyInclusion(
  hasher: MerkleHasher,
  options: { leaf: Uint8Array; index: number; size: number; path: Uint8Array[]; root: Uint8Array },
): boolean {
  const { index, size, path, root } = options;
  if (index < 0 || index >= size) return false;
  let r = options.leaf;
  const walked = walkAuditPath(index, size - 1, path.length, (step, _level, fn, sn) => {
    const p = path[step]!;
    r = siblingIsLeft(fn, sn) ? hasher.node(p, r) : hasher.node(r, p);
    return true;
  });
  return walked && equalBytes(r, root);
}

/** Root of leaves [start, end) where the range is a node or a right-edge subtree of `levels`. */
function subtreeRoot(hasher: MerkleHasher, levels: Uint8Array[][], start: number, end: number): Uint8Array {
  const width = end - start;
  const height = Math.ceil(Math.log2(width));
  const aligned = start % 2 ** height === 0;
  const fits = end === levels[0]!.length || width === 2 ** height;
  if (aligned && fits && levels[height]) return levels[height]![start / 2 ** height]!;
  const split = largestPowerOfTwoBelow(width);
  return hasher.node(
    subtreeRoot(hasher, levels, start, start + split),
    subtreeRoot(hasher, levels, start + split, end),
  );
}

/** Consistency proof between the first `oldSize` leaves and the whole tree (RFC 6962 §2.1.2). */
export function consistencyProof(
  hasher: MerkleHasher,
  levels: Uint8Array[][],
  oldSize: number,
): Uint8Array[] {
  const size = levels[0]?.length ?? 0;
  if (oldSize < 1 || oldSize > size) throw new RangeError('old size out of range');
  const proof: Uint8Array[] = [];
  const walk = (m: number, start: number, end: number, complete: boolean): void => {
    const n = end - start;
    if (m === n) {
      if (!complete) proof.push(subtreeRoot(hasher, levels, start, end));
      return;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      walk(m, start, start + k, complete);
      proof.push(subtreeRoot(hasher, levels, start + k, end));
    } else {
      walk(m - k, start + k, end, false);
      proof.push(subtreeRoot(hasher, levels, start, start + k));
    }
  };
  walk(oldSize, 0, size, true);
  return proof;
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree of `newSize` extends the tree of `oldSize`? */
export function verifyConsistency(
  hasher: MerkleHasher,
  options: {
    oldSize: number;
    newSize: number;
    oldRoot: Uint8Array;
    newRoot: Uint8Array;
    proof: Uint8Array[];
  },
): boolean {
  const { oldSize, newSize, oldRoot, newRoot } = options;
  if (oldSize < 1 || oldSize > newSize) return false;
  if (oldSize === newSize) return options.proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (options.proof.length === 0) return false;
  const path = isPowerOfTwo(oldSize) ? [oldRoot, ...options.proof] : [...options.proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  // RFC 9162 §2.1.4.2 step 6 is the inclusion loop with a second running hash, `fr`, that takes in
  // only left siblings and so rebuilds the old root.
  const rest = path.slice(1);
  let fr = path[0]!;
  let sr = path[0]!;
  const walked = walkAuditPath(fn, sn, rest.length, (step, _level, index, last) => {
    const c = rest[step]!;
    if (siblingIsLeft(index, last)) {
      fr = hasher.node(c, fr);
      sr = hasher.node(c, sr);
    } else {
      sr = hasher.node(sr, c);
    }
    return true;
  });
  return walked && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
