import { describe, expect, it } from 'vitest';
import { buildLevels, inclusionPath, MerkleHasher, rootFromLevels } from './merkle.js';
import { bytesToWords } from './merkle-words.js';
import { portableSha256 } from './sha256.js';
import { TreeClaims } from './tree-claims.js';

const hasher = new MerkleHasher(portableSha256);
const hashes = Array.from({ length: 70 }, (_, i) => portableSha256(Uint8Array.of(i, 5)));
const flat = (path: Uint8Array[]) => {
  const out = new Int32Array(path.length * 8);
  for (const [i, p] of path.entries()) bytesToWords(p, 0, out, i * 8);
  return out;
};

let state = 99;
const rand = (n: number) => {
  state = (state * 1103515245 + 12345) % 2 ** 31;
  return state % n;
};

type Step = { leaf: number } | { proof: number; path: Uint8Array[] };

/** Feeds all leaves and the given paths in a random interleaving (leaves stay in order). */
function run(size: number, paths: Uint8Array[][], root: Uint8Array, leafCount = size): boolean {
  const leaves: Step[] = Array.from({ length: leafCount }, (_, i) => ({ leaf: i }));
  const proofs: Step[] = paths.map((path, i) => ({ proof: i, path }));
  const claims = new TreeClaims(size);
  while (leaves.length + proofs.length > 0) {
    const fromLeaves = proofs.length === 0 || (leaves.length > 0 && rand(2) === 0);
    const step = fromLeaves ? leaves.shift()! : proofs.splice(rand(proofs.length), 1)[0]!;
    if ('leaf' in step) claims.addLeaf(hashes[step.leaf]!, 0);
    else claims.claimPath(step.proof, flat(step.path), step.path.length);
  }
  return claims.finish(root);
}

describe('TreeClaims', () => {
  it('shows every proof of a whole chain, and nothing once one proof, a leaf or the root differs', () => {
    for (let size = 1; size <= hashes.length; size += size < 20 ? 1 : 5) {
      const levels = buildLevels(
        hasher,
        hashes.slice(0, size).map((h) => hasher.leaf(h)),
      );
      const root = rootFromLevels(hasher, levels);
      const paths = Array.from({ length: size }, (_, i) => inclusionPath(levels, i));
      expect(run(size, paths, root), `size ${size}`).toBe(true);
      expect(run(size, paths, hashes[0]!)).toBe(false);
      expect(run(size, paths, root, size - 1)).toBe(false);
      if (size === 1) continue;
      for (let trial = 0; trial < 6; trial++) {
        const index = rand(size);
        const path = paths[index]!;
        const k = rand(path.length);
        const variants = [
          path.map((p, j) => (j === k ? portableSha256(p) : p)),
          path.slice(0, -1),
          [...path, root],
        ];
        for (const bad of variants) {
          const tampered = paths.map((p, i) => (i === index ? bad : p));
          expect(run(size, tampered, root), `size ${size} index ${index}`).toBe(false);
        }
      }
    }
  });

  it('refuses a proof for a leaf outside the tree', () => {
    const claims = new TreeClaims(2);
    claims.addLeaf(hashes[0]!, 0);
    claims.addLeaf(hashes[1]!, 0);
    claims.claimPath(2, new Int32Array(8), 1);
    expect(claims.consistent).toBe(false);
  });
});
