import { describe, expect, it } from 'vitest';
import { FullTree } from './full-tree.js';
import { buildLevels, inclusionPath, MerkleHasher, rootFromLevels, verifyInclusion } from './merkle.js';
import { bytesToWords } from './merkle-words.js';
import { portableSha256 } from './sha256.js';

const hasher = new MerkleHasher(portableSha256);
const hashes = Array.from({ length: 70 }, (_, i) => portableSha256(Uint8Array.of(i, 3)));
const flat = (path: Uint8Array[]) => {
  const out = new Int32Array(path.length * 8);
  for (const [i, p] of path.entries()) bytesToWords(p, 0, out, i * 8);
  return out;
};
const joined = (list: Uint8Array[]) => {
  const out = new Uint8Array(list.length * 32);
  for (const [i, h] of list.entries()) out.set(h, i * 32);
  return out;
};

describe('FullTree', () => {
  it('has the root of the RFC 6962 tree over its leaves, and no other', () => {
    for (let size = 1; size <= hashes.length; size++) {
      const levels = buildLevels(
        hasher,
        hashes.slice(0, size).map((h) => hasher.leaf(h)),
      );
      const tree = new FullTree(joined(hashes.slice(0, size)), size);
      expect(tree.hasRoot(flat([rootFromLevels(hasher, levels)])), `size ${size}`).toBe(true);
      expect(tree.hasRoot(flat([hashes[0]!]))).toBe(false);
    }
  });

  it('accepts and rejects exactly what verifyInclusion does against its root', () => {
    for (let size = 1; size <= hashes.length; size += size < 20 ? 1 : 7) {
      const levels = buildLevels(
        hasher,
        hashes.slice(0, size).map((h) => hasher.leaf(h)),
      );
      const root = rootFromLevels(hasher, levels);
      const tree = new FullTree(joined(hashes.slice(0, size)), size);
      for (let index = 0; index < size; index++) {
        const path = inclusionPath(levels, index);
        const cases = [
          { index, path },
          { index: (index + 1) % size, path },
          { index: index + size, path },
          { index, path: path.slice(0, -1) },
          { index, path: [...path, root] },
          { index, path: path.slice(1) },
          ...path.map((_, k) => ({ index, path: path.map((p, j) => (j === k ? portableSha256(p) : p)) })),
        ];
        for (const c of cases) {
          const leaf = hashes[c.index] ?? hashes[index]!;
          const expected = verifyInclusion(hasher, {
            leaf: hasher.leaf(leaf),
            index: c.index,
            size,
            path: c.path,
            root,
          });
          expect(tree.verify(c.index, flat(c.path), c.path.length), `size ${size} index ${c.index}`).toBe(
            expected,
          );
        }
      }
    }
  });
});
