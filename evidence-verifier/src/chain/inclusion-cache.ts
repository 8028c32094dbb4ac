import { type AuditPathStep, parentCarried, siblingIsLeft, siblingOf, walkAuditPath } from './audit-path.js';
import { bytesToWords, copyWords, leafWords, nodeWords, sameWords } from './merkle-words.js';

const SLOTS = 4;
const LEVELS = 64;

/** The two RFC 6962 hashes on big-endian words; injectable so a test can count them. */
export interface WordHashes {
  leaf: typeof leafWords;
  node: typeof nodeWords;
}

/**
 * RFC 9162 §2.1.3.2 inclusion verification for many leaves of one tree. Nodes proven to lead to
 * the root are remembered (a few per level), so a proof stops hashing where it meets one and only
 * compares its remaining path words: every path hash is still checked, but a full pack costs about
 * two hashes per leaf instead of log2(size). Accepts exactly what `verifyInclusion` accepts.
 * Hashes are held as eight big-endian 32-bit words.
 */
export class InclusionCache {
  private readonly index = new Float64Array(LEVELS * SLOTS).fill(-1);
  private readonly value = new Int32Array(LEVELS * SLOTS * 8);
  private readonly cursor = new Uint8Array(LEVELS);
  private readonly root = new Int32Array(8);
  private readonly r = new Int32Array(8);
  private readonly pendingLevel = new Uint8Array(2 * LEVELS);
  private readonly pendingIndex = new Float64Array(2 * LEVELS);
  private readonly pendingValue = new Int32Array(2 * LEVELS * 8);
  private pending = 0;

  private path: Int32Array = new Int32Array(0);
  /** One step of `verify`, made once so a proof allocates nothing and the walk can inline it. */
  private readonly step: AuditPathStep = (step, level, index, last) => {
    const { r, value, path } = this;
    const slot = this.find(level, index);
    if (slot >= 0 && !sameWords(value, slot * 8, r, 0)) return false;
    const sibling = siblingOf(index);
    const pAt = step * 8;
    this.hold(level, index, r, 0);
    this.hold(level, sibling, path, pAt);
    const siblingSlot = slot >= 0 && !parentCarried(index, last) ? this.find(level, sibling) : -1;
    const parentSlot =
      siblingSlot >= 0 && sameWords(value, siblingSlot * 8, path, pAt)
        ? this.find(level + 1, Math.floor(index / 2))
        : -1;
    if (parentSlot >= 0) {
      copyWords(value, parentSlot * 8, r, 0);
    } else if (siblingIsLeft(index, last)) {
      this.hash.node(path, pAt, r, 0, r, 0);
    } else {
      this.hash.node(r, 0, path, pAt, r, 0);
    }
    return true;
  };

  constructor(
    private readonly size: number,
    root: Uint8Array,
    private readonly hash: WordHashes = { leaf: leafWords, node: nodeWords },
  ) {
    let level = 0;
    for (let s = size - 1; s > 0; s = Math.floor(s / 2)) level++;
    bytesToWords(root, 0, this.root, 0);
    this.pending = 0;
    this.hold(level, 0, this.root, 0);
    this.commit();
  }

  /** Does `path` (n hashes, 8 words each) prove the event hash `leaf[leafAt..+8]` at `leafIndex`? */
  verify(leafIndex: number, leaf: Int32Array, leafAt: number, path: Int32Array, n: number): boolean {
    if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= this.size) return false;
    const { r } = this;
    this.pending = 0;
    this.hash.leaf(leaf, leafAt, r, 0);
    this.path = path;
    const walked = walkAuditPath(leafIndex, this.size - 1, n, this.step);
    // A complete walk ends on the root's level, so comparing with the root's words suffices.
    if (!walked || !sameWords(this.root, 0, r, 0)) return false;
    this.commit();
    return true;
  }

  private find(level: number, index: number): number {
    const base = level * SLOTS;
    for (let s = 0; s < SLOTS; s++) if (this.index[base + s] === index) return base + s;
    return -1;
  }

  private hold(level: number, index: number, words: Int32Array, at: number): void {
    const i = this.pending++;
    this.pendingLevel[i] = level;
    this.pendingIndex[i] = index;
    copyWords(words, at, this.pendingValue, i * 8);
  }

  private commit(): void {
    for (let i = 0; i < this.pending; i++) {
      const level = this.pendingLevel[i]!;
      const index = this.pendingIndex[i]!;
      if (this.find(level, index) >= 0) continue;
      const slot = level * SLOTS + (this.cursor[level]! % SLOTS);
      this.cursor[level] = (this.cursor[level]! + 1) % SLOTS;
      this.index[slot] = index;
      copyWords(this.pendingValue, i * 8, this.value, slot * 8);
    }
  }
}
