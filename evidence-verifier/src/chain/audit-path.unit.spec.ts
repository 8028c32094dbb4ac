import { describe, expect, it } from 'vitest';
import { parentCarried, siblingIsLeft, siblingOf, walkAuditPath } from './audit-path.js';
import { fromHex, toHex } from './hex.js';
import { buildLevels, inclusionPath, MerkleHasher } from './merkle.js';
import { portableSha256 } from './sha256.js';

const hasher = new MerkleHasher(portableSha256);

// Certificate Transparency's RFC 6962 test data (the set merkle.unit.spec.ts checks the tree
// against): eight leaves, the tree heads this spec needs, and reference proofs.
const CT_LEAVES = '|00|10|2021|3031|40414243|5051525354555657|606162636465666768696a6b6c6d6e6f'.split('|');
const CT_HEAD: Record<number, string> = {
  2: 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  5: '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  6: '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  8: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
};
/** Audit paths in the tree of 8, by leaf index, with the (level, position) of each sibling. */
const CT_AUDIT_PATHS: Record<number, { path: string[]; siblings: [number, number][] }> = {
  0: {
    path: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
    siblings: [
      [0, 1],
      [1, 1],
      [2, 1],
    ],
  },
  5: {
    path: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
    siblings: [
      [0, 4],
      [1, 3],
      [2, 0],
    ],
  },
};
/** Consistency proofs into the tree of 8 (and one of 5), as `old→new`. */
const CT_CONSISTENCY: Record<string, string[]> = {
  '2→8': [
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
  ],
  '6→8': [
    '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
    'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  ],
  '2→5': [
    '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
    'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  ],
};

/** One combination the walk asks for: path hash `k`, on the left or the right. */
type Step = { k: number; left: boolean };

/** The steps the walk takes from `index` on a level ending at `last`, or null if it rejects the path length. */
function walkSteps(index: number, last: number, length: number): Step[] | null {
  const steps: Step[] = [];
  const walked = walkAuditPath(index, last, length, (k, _level, at, end) => {
    if (k >= length) throw new Error(`step ${k} is past a path of ${length}`);
    steps.push({ k, left: siblingIsLeft(at, end) });
    return true;
  });
  return walked ? steps : null;
}

/**
 * RFC 9162 §2.1.3.2 step 5 transcribed as written (the loop §2.1.4.2 repeats), recording what it
 * combines: the reference the walk must match.
 */
function rfcSteps(fn: number, sn: number, length: number): Step[] | null {
  const steps: Step[] = [];
  for (let k = 0; k < length; k++) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      steps.push({ k, left: true });
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      steps.push({ k, left: false });
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? steps : null;
}

const leaves = CT_LEAVES.map((h) => hasher.leaf(fromHex(h)));

describe('walkAuditPath', () => {
  it('folds the published audit paths to the published tree head, through the published siblings', () => {
    const levels = buildLevels(hasher, leaves);
    for (const [index, vector] of Object.entries(CT_AUDIT_PATHS)) {
      const path = vector.path.map(fromHex);
      let r = leaves[Number(index)]!;
      const siblings: [number, number][] = [];
      const walked = walkAuditPath(Number(index), 7, path.length, (k, level, at, last) => {
        siblings.push([level, siblingOf(at)]);
        expect(toHex(levels[level]![siblingOf(at)]!)).toBe(vector.path[k]);
        r = siblingIsLeft(at, last) ? hasher.node(path[k]!, r) : hasher.node(r, path[k]!);
        return true;
      });
      expect(walked).toBe(true);
      expect(siblings).toEqual(vector.siblings);
      expect(toHex(r)).toBe(CT_HEAD[8]);
    }
  });

  it('rebuilds both published tree heads from the published consistency proofs', () => {
    for (const [sizes, hexProof] of Object.entries(CT_CONSISTENCY)) {
      const [oldSize, newSize] = sizes.split('→').map(Number) as [number, number];
      // RFC 9162 §2.1.4.2 steps 1–5: a power-of-two old tree's root is the proof's implicit first hash.
      const seeded = (oldSize & (oldSize - 1)) === 0 ? [CT_HEAD[oldSize]!, ...hexProof] : hexProof;
      const [seed, ...rest] = seeded.map(fromHex);
      let fn = oldSize - 1;
      let sn = newSize - 1;
      while (fn % 2 === 1) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
      let fr = seed!;
      let sr = seed!;
      for (const { k, left } of walkSteps(fn, sn, rest.length) ?? []) {
        if (left) fr = hasher.node(rest[k]!, fr);
        sr = left ? hasher.node(rest[k]!, sr) : hasher.node(sr, rest[k]!);
      }
      expect(walkSteps(fn, sn, rest.length), sizes).not.toBeNull();
      expect([toHex(fr), toHex(sr)], sizes).toEqual([CT_HEAD[oldSize], CT_HEAD[newSize]]);
    }
  });

  it('combines exactly what the RFC 9162 loop combines, and rejects exactly the path lengths it rejects', () => {
    for (let last = 0; last < 70; last++)
      for (let index = 0; index <= last; index++)
        for (let length = 0; length <= 9; length++)
          expect(walkSteps(index, last, length), `${index} of ${last + 1}, ${length} hashes`).toEqual(
            rfcSteps(index, last, length),
          );
    // verifyInclusion takes any number: positions that are not integers follow the RFC's text too.
    for (const [index, last] of [
      [2.5, 2.5],
      [1.5, 4],
      [0.5, 0.5],
    ] as const)
      for (let length = 0; length <= 4; length++)
        expect(walkSteps(index, last, length)).toEqual(rfcSteps(index, last, length));
    // Positions past 32 bits, where bitwise arithmetic would wrap.
    for (const [index, last] of [
      [2 ** 40 + 5, 2 ** 41],
      [2 ** 45 - 2, 2 ** 45 - 2],
      [3 * 2 ** 33, 3 * 2 ** 33 + 1],
    ] as const) {
      let fits = 0;
      for (let length = 0; length <= 60; length++) {
        const steps = walkSteps(index, last, length);
        expect(steps, `${index} of ${last + 1}, ${length} hashes`).toEqual(rfcSteps(index, last, length));
        if (steps) fits++;
      }
      expect(fits).toBe(1);
    }
  });

  it('names the stored sibling of every audit path hash, and which parents are carried up', () => {
    const many = Array.from({ length: 40 }, (_, i) => hasher.leaf(Uint8Array.of(i, 9)));
    for (let size = 1; size <= many.length; size++) {
      const levels = buildLevels(hasher, many.slice(0, size));
      for (let index = 0; index < size; index++) {
        const path = inclusionPath(levels, index);
        const walked = walkAuditPath(index, size - 1, path.length, (k, level, at, last) => {
          expect(levels[level]![siblingOf(at)]).toEqual(path[k]);
          const above = levels[level + 1]!;
          const parent = Math.floor(at / 2);
          const unpaired = above.length > 1 && above.length % 2 === 1 && parent === above.length - 1;
          expect(parentCarried(at, last), `size ${size} index ${index} level ${level}`).toBe(unpaired);
          return true;
        });
        expect(walked).toBe(true);
      }
    }
  });
});
