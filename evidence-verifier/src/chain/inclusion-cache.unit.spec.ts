import { describe, expect, it } from 'vitest';
import { InclusionCache } from './inclusion-cache.js';
import { buildLevels, inclusionPath, MerkleHasher, rootFromLevels, verifyInclusion } from './merkle.js';
import { bytesToWords, leafWords, nodeWords } from './merkle-words.js';
import { portableSha256 } from './sha256.js';

const hasher = new MerkleHasher(portableSha256);
const hashes = Array.from({ length: 70 }, (_, i) => portableSha256(Uint8Array.of(i, 7)));
const flat = (path: Uint8Array[]) => {
  const out = new Int32Array(path.length * 8);
  for (const [i, p] of path.entries()) bytesToWords(p, 0, out, i * 8);
  return out;
};

describe('InclusionCache', () => {
  it('accepts and rejects exactly what verifyInclusion does, proof after proof through one cache', () => {
    for (let size = 1; size <= hashes.length; size += size < 20 ? 1 : 7) {
      const levels = buildLevels(
        hasher,
        hashes.slice(0, size).map((h) => hasher.leaf(h)),
      );
      const root = rootFromLevels(hasher, levels);
      for (const order of ['ascending', 'shuffled']) {
        const cache = new InclusionCache(size, root);
        const indices = Array.from({ length: size }, (_, i) => i);
        if (order === 'shuffled') indices.sort((a, b) => ((a * 37) % 11) - ((b * 37) % 11) || a - b);
        for (const index of indices) {
          const path = inclusionPath(levels, index);
          const cases = [
            { leaf: hashes[index]!, index, path },
            { leaf: hashes[(index + 1) % size]!, index, path },
            { leaf: hashes[index]!, index: (index + 1) % size, path },
            { leaf: hashes[index]!, index, path: path.slice(0, -1) },
            { leaf: hashes[index]!, index, path: [...path, root] },
            ...path.map((_, k) => ({
              leaf: hashes[index]!,
              index,
              path: path.map((p, j) => (j === k ? portableSha256(p) : p)),
            })),
          ];
          for (const c of cases) {
            const expected = verifyInclusion(hasher, {
              leaf: hasher.leaf(c.leaf),
              index: c.index,
              size,
              path: c.path,
              root,
            });
            expect(
              cache.verify(c.index, flat([c.leaf]), 0, flat(c.path), c.path.length),
              `size ${size} index ${c.index}`,
            ).toBe(expected);
          }
        }
      }
    }
  });

  it('hashes about twice per leaf when proofs arrive in order', () => {
    const size = 1024;
    const leaves = Array.from({ length: size }, (_, i) => portableSha256(Uint8Array.of(i & 255, i >> 8)));
    const levels = buildLevels(
      hasher,
      leaves.map((h) => hasher.leaf(h)),
    );
    let calls = 0;
    const cache = new InclusionCache(size, rootFromLevels(hasher, levels), {
      leaf: (...args) => {
        calls++;
        leafWords(...args);
      },
      node: (...args) => {
        calls++;
        nodeWords(...args);
      },
    });
    for (let i = 0; i < size; i++) {
      const path = inclusionPath(levels, i);
      expect(cache.verify(i, flat([leaves[i]!]), 0, flat(path), path.length)).toBe(true);
    }
    expect(calls).toBeLessThan(size * 3);
  });
});
