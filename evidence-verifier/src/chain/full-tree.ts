import { siblingOf, walkAuditPath } from './audit-path.js';
import { bytesToWords, leafWords, nodeWords, sameWords } from './merkle-words.js';

/**
 * Every node of the RFC 6962 tree over all `size` leaves, each hashed once, for checking the
 * proofs of a pack that holds the whole chain. Once its root equals the checkpoint root, a proof
 * leads to that root exactly when each of its hashes is the sibling this tree has at that step
 * (anything else would be a SHA-256 collision), so a proof costs comparisons, not hashes.
 */
export class FullTree {
  /** Start (in words) of each level in `nodes`; level 0 holds the leaf hashes. */
  private readonly levelAt: number[] = [];
  private readonly nodes: Int32Array;

  /** `leaves` holds the `size` event hashes, 32 bytes each, in leaf order. */
  constructor(
    leaves: Uint8Array,
    private readonly size: number,
  ) {
    let total = 0;
    for (let width = size; ; width = Math.ceil(width / 2)) {
      this.levelAt.push(total * 8);
      total += width;
      if (width <= 1) break;
    }
    const nodes = new Int32Array(total * 8);
    const hash = new Int32Array(8);
    for (let i = 0; i < size; i++) {
      bytesToWords(leaves, i * 32, hash, 0);
      leafWords(hash, 0, nodes, i * 8);
    }
    let width = size;
    for (let level = 0; width > 1; level++) {
      const from = this.levelAt[level]!;
      const to = this.levelAt[level + 1]!;
      for (let i = 0; i + 1 < width; i += 2)
        nodeWords(nodes, from + i * 8, nodes, from + i * 8 + 8, nodes, to + i * 4);
      // An unpaired rightmost node is carried up unchanged: RFC 6962's "largest power of two" split.
      if (width % 2 === 1) nodes.copyWithin(to + (width - 1) * 4, from + (width - 1) * 8, from + width * 8);
      width = Math.ceil(width / 2);
    }
    this.nodes = nodes;
  }

  /** Does the tree's root equal `root` (eight big-endian words)? */
  hasRoot(root: Int32Array): boolean {
    if (this.size === 0) return false;
    return sameWords(this.nodes, this.levelAt[this.levelAt.length - 1]!, root, 0);
  }

  /**
   * RFC 9162 §2.1.3.2 for leaf `leafIndex` and `path` (n hashes as big-endian words), given that
   * the tree's root is the checkpoint root: walks the same steps and compares each path hash.
   */
  verify(leafIndex: number, path: Int32Array, n: number): boolean {
    if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= this.size) return false;
    const { nodes, levelAt } = this;
    return walkAuditPath(leafIndex, this.size - 1, n, (step, level, index) =>
      sameWords(nodes, levelAt[level]! + siblingOf(index) * 8, path, step * 8),
    );
  }
}
