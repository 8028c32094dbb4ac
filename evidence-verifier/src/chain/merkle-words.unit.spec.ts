import { describe, expect, it } from 'vitest';
import { MerkleHasher } from './merkle.js';
import { bytesToWords, leafWords, nodeWords, wordsToBytes } from './merkle-words.js';
import { portableSha256 } from './sha256.js';

const hasher = new MerkleHasher(portableSha256);
const words = (bytes: Uint8Array) => {
  const out = new Int32Array(8);
  bytesToWords(bytes, 0, out, 0);
  return out;
};

describe('leafWords and nodeWords', () => {
  it('give the RFC 6962 leaf and node hashes of a general SHA-256', () => {
    for (let i = 0; i < 200; i++) {
      const a = portableSha256(Uint8Array.of(i, 1));
      const b = portableSha256(Uint8Array.of(i, 2));
      // Bytes at both ends of the range, so sign bits and the byte carried across words count.
      if (i % 3 === 0) a.fill(0xff, 0, 16);
      if (i % 5 === 0) b.fill(0x00, 16);
      const out = new Int32Array(16);
      leafWords(words(a), 0, out, 8);
      expect(wordsToBytes(out, 8)).toEqual(hasher.leaf(a));
      nodeWords(words(a), 0, words(b), 0, out, 0);
      expect(wordsToBytes(out, 0)).toEqual(hasher.node(a, b));
    }
  });

  it('may write over its own input', () => {
    const a = portableSha256(Uint8Array.of(9));
    const b = portableSha256(Uint8Array.of(8));
    const both = new Int32Array(16);
    both.set(words(a), 0);
    both.set(words(b), 8);
    nodeWords(both, 0, both, 8, both, 0);
    expect(wordsToBytes(both, 0)).toEqual(hasher.node(a, b));
  });
});
