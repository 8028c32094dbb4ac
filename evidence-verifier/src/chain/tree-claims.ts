import { siblingOf, walkAuditPath } from './audit-path.js';
import { bytesToWords, copyWords, leafWords, nodeWords, sameWords } from './merkle-words.js';

const EMPTY = 0;
const CLAIMED = 1;
const COMPUTED = 2;

/**
 * Checks that every audit path of a pack holding the whole chain agrees with the tree over its
 * leaves, while leaves and paths still arrive, in any interleaving. Each node of the tree has a
 * slot: a path hash that reaches a slot before the node is hashed is kept as a claim, later path
 * hashes for it must equal that claim, and the node, once hashed, must equal it too. So when
 * `finish` answers true, every path hash equals the tree's node at that place, and every path
 * leads to the tree's root (RFC 9162 §2.1.3.2 walks exactly these nodes). Any false answer only
 * means "not shown": the caller then checks each proof on its own.
 */
export class TreeClaims {
  private readonly levelAt: number[] = [];
  private readonly widths: number[] = [];
  /** Nodes hashed so far on each level, always a prefix of the level. */
  private readonly done: number[] = [];
  private readonly nodes: Int32Array;
  private readonly state: Uint8Array;
  private readonly leaf = new Int32Array(8);
  private readonly scratch = new Int32Array(8);
  private leaves = 0;
  private agrees = true;

  constructor(private readonly size: number) {
    let total = 0;
    for (let width = size; ; width = Math.ceil(width / 2)) {
      this.levelAt.push(total);
      this.widths.push(width);
      this.done.push(0);
      total += width;
      if (width <= 1) break;
    }
    this.nodes = new Int32Array(total * 8);
    this.state = new Uint8Array(total);
  }

  /** Whether nothing has disagreed so far. */
  get consistent(): boolean {
    return this.agrees;
  }

  /** The next leaf's event hash, 32 bytes at `hashes[at]`. */
  addLeaf(hashes: Uint8Array, at: number): void {
    const index = this.leaves++;
    if (index >= this.size) {
      this.agrees = false;
      return;
    }
    bytesToWords(hashes, at, this.leaf, 0);
    leafWords(this.leaf, 0, this.scratch, 0);
    this.store(0, index);
    // Every completed pair is hashed now; unpaired right-edge nodes wait for `finish`.
    let level = 0;
    let i = index;
    while (i % 2 === 1) {
      this.hashParent(level, i - 1);
      level++;
      i = (i - 1) / 2;
    }
  }

  /** The audit path (n hashes, 8 words each) offered for leaf `leafIndex`. */
  claimPath(leafIndex: number, path: Int32Array, n: number): void {
    if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= this.size) {
      this.agrees = false;
      return;
    }
    const walked = walkAuditPath(leafIndex, this.size - 1, n, (step, level, index) => {
      this.claim(level, siblingOf(index), path, step * 8);
      return true;
    });
    if (!walked) this.agrees = false;
  }

  /**
   * Hashes what is left of the tree once all leaves are in: true when there were exactly `size`
   * leaves, every path agreed with the tree, and its root is `root` (32 bytes).
   */
  finish(root: Uint8Array): boolean {
    if (this.leaves !== this.size || this.size === 0) return false;
    for (let level = 0; level + 1 < this.widths.length; level++) {
      const width = this.widths[level]!;
      for (let i = this.done[level + 1]! * 2; i < width; i += 2) {
        if (i + 1 < width) this.hashParent(level, i);
        else this.carry(level, i);
      }
    }
    const top = this.levelAt[this.levelAt.length - 1]! * 8;
    const rootWords = new Int32Array(8);
    bytesToWords(root, 0, rootWords, 0);
    return this.agrees && sameWords(this.nodes, top, rootWords, 0);
  }

  private hashParent(level: number, left: number): void {
    const from = (this.levelAt[level]! + left) * 8;
    nodeWords(this.nodes, from, this.nodes, from + 8, this.scratch, 0);
    this.store(level + 1, left / 2);
  }

  /** An unpaired rightmost node goes up unchanged: RFC 6962's "largest power of two" split. */
  private carry(level: number, i: number): void {
    copyWords(this.nodes, (this.levelAt[level]! + i) * 8, this.scratch, 0);
    this.store(level + 1, i / 2);
  }

  /** Keeps the node just hashed into `scratch`, first holding it to any claim made for its slot. */
  private store(level: number, index: number): void {
    const slot = this.levelAt[level]! + index;
    if (this.state[slot] === CLAIMED && !sameWords(this.nodes, slot * 8, this.scratch, 0))
      this.agrees = false;
    copyWords(this.scratch, 0, this.nodes, slot * 8);
    this.state[slot] = COMPUTED;
    this.done[level] = index + 1;
  }

  private claim(level: number, index: number, path: Int32Array, at: number): void {
    const slot = this.levelAt[level]! + index;
    if (this.state[slot] === EMPTY) {
      copyWords(path, at, this.nodes, slot * 8);
      this.state[slot] = CLAIMED;
    } else if (!sameWords(this.nodes, slot * 8, path, at)) {
      this.agrees = false;
    }
  }
}
