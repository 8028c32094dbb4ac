import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './hex.js';
import {
  buildLevels,
  consistencyProof,
  inclusionPath,
  MerkleFrontier,
  MerkleHasher,
  merkleRoot,
  rootFromLevels,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';
import { portableSha256 } from './sha256.js';

// Certificate Transparency's published RFC 6962 test data: eight leaves and the
// tree head for every size 0..8, plus reference audit paths and consistency proofs.
const CT_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const CT_INCLUSION = [
  {
    index: 0,
    size: 8,
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    index: 5,
    size: 8,
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];
const CT_CONSISTENCY = [
  {
    oldSize: 2,
    newSize: 8,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    oldSize: 6,
    newSize: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    oldSize: 2,
    newSize: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const hasher = new MerkleHasher(portableSha256);
const leaves = CT_LEAVES.map((h) => hasher.leaf(fromHex(h)));
const levelsOf = (n: number) => buildLevels(hasher, leaves.slice(0, n));

describe('RFC 6962 Merkle tree', () => {
  it('matches the published tree head for every size 0..8, both ways of computing it', () => {
    for (let n = 0; n <= 8; n++) {
      expect(toHex(rootFromLevels(hasher, levelsOf(n)))).toBe(CT_ROOTS[n]);
      expect(toHex(merkleRoot(hasher, leaves.slice(0, n)))).toBe(CT_ROOTS[n]);
    }
  });

  it('grows a frontier leaf by leaf whose root is the published head at every size', () => {
    const frontier = new MerkleFrontier(hasher);
    expect(toHex(frontier.root())).toBe(CT_ROOTS[0]);
    leaves.forEach((leaf, i) => {
      frontier.push(leaf);
      expect(frontier.size).toBe(i + 1);
      expect(toHex(frontier.root())).toBe(CT_ROOTS[i + 1]);
    });
    // Past the published sizes: the frontier agrees with the whole-tree levels.
    const more = Array.from({ length: 37 }, (_, i) => hasher.leaf(Uint8Array.of(i, 7)));
    for (const leaf of more) {
      frontier.push(leaf);
      const all = [...leaves, ...more.slice(0, frontier.size - leaves.length)];
      expect(toHex(frontier.root())).toBe(toHex(rootFromLevels(hasher, buildLevels(hasher, all))));
    }
  });

  it('produces and verifies the published audit paths', () => {
    for (const vector of CT_INCLUSION) {
      const levels = levelsOf(vector.size);
      expect(inclusionPath(levels, vector.index).map(toHex)).toEqual(vector.path);
      const ok = verifyInclusion(hasher, {
        leaf: leaves[vector.index]!,
        index: vector.index,
        size: vector.size,
        path: vector.path.map(fromHex),
        root: fromHex(CT_ROOTS[vector.size]!),
      });
      expect(ok).toBe(true);
    }
  });

  it('produces and verifies the published consistency proofs', () => {
    for (const vector of CT_CONSISTENCY) {
      expect(consistencyProof(hasher, levelsOf(vector.newSize), vector.oldSize).map(toHex)).toEqual(
        vector.proof,
      );
      const ok = verifyConsistency(hasher, {
        oldSize: vector.oldSize,
        newSize: vector.newSize,
        oldRoot: fromHex(CT_ROOTS[vector.oldSize]!),
        newRoot: fromHex(CT_ROOTS[vector.newSize]!),
        proof: vector.proof.map(fromHex),
      });
      expect(ok).toBe(true);
    }
  });

  it('proves every leaf of every size up to 40 and rejects wrong index, leaf or path', () => {
    const many = Array.from({ length: 40 }, (_, i) => hasher.leaf(Uint8Array.of(i, i * 3)));
    for (let size = 1; size <= many.length; size++) {
      const levels = buildLevels(hasher, many.slice(0, size));
      const root = rootFromLevels(hasher, levels);
      for (let index = 0; index < size; index++) {
        const path = inclusionPath(levels, index);
        const leaf = many[index]!;
        expect(verifyInclusion(hasher, { leaf, index, size, path, root })).toBe(true);
        if (size > 1) {
          expect(verifyInclusion(hasher, { leaf, index: (index + 1) % size, size, path, root })).toBe(false);
          expect(verifyInclusion(hasher, { leaf: many[(index + 1) % size]!, index, size, path, root })).toBe(
            false,
          );
          const bent = path.map((p, i) => (i === 0 ? hasher.leaf(p) : p));
          expect(verifyInclusion(hasher, { leaf, index, size, path: bent, root })).toBe(false);
        }
      }
      for (let oldSize = 1; oldSize <= size; oldSize++) {
        const proof = consistencyProof(hasher, levels, oldSize);
        const oldRoot = merkleRoot(hasher, many.slice(0, oldSize));
        expect(verifyConsistency(hasher, { oldSize, newSize: size, oldRoot, newRoot: root, proof })).toBe(
          true,
        );
        if (oldSize < size) {
          const wrongOld = hasher.leaf(oldRoot);
          expect(
            verifyConsistency(hasher, { oldSize, newSize: size, oldRoot: wrongOld, newRoot: root, proof }),
          ).toBe(false);
        }
      }
    }
  });

  it('gives the same answers with an injected node:crypto hash', () => {
    const nodeHasher = new MerkleHasher((d) => createHash('sha256').update(d).digest());
    expect(
      toHex(
        merkleRoot(
          nodeHasher,
          CT_LEAVES.map((h) => nodeHasher.leaf(fromHex(h))),
        ),
      ),
    ).toBe(CT_ROOTS[8]);
  });
});
