/**
 * RFC 6962 leaf and node hashes computed in plain JavaScript on hashes held as eight big-endian
 * 32-bit words. A leaf is one SHA-256 block and a node two, so calling a general SHA-256 (which
 * allocates, copies and, in Node, crosses into C++) costs more than the compression itself.
 * Portable: no platform API.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const W = new Int32Array(64);
const H = new Int32Array(8);

/** One SHA-256 compression of the block already in W[0..15] into H. */
function compress(): void {
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15]!;
    const w2 = W[i - 2]!;
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
  }
  let a = H[0]!;
  let b = H[1]!;
  let c = H[2]!;
  let d = H[3]!;
  let e = H[4]!;
  let f = H[5]!;
  let g = H[6]!;
  let h = H[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + W[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}

/** out[outAt..+8] = SHA-256(0x00 ‖ hash): the leaf hash of an event hash (33 bytes, one block). */
export function leafWords(hash: Int32Array, at: number, out: Int32Array, outAt: number): void {
  H.set(IV);
  let carry = 0x00;
  for (let k = 0; k < 8; k++) {
    const word = hash[at + k]!;
    W[k] = (carry << 24) | (word >>> 8);
    carry = word & 0xff;
  }
  W[8] = (carry << 24) | 0x800000;
  W.fill(0, 9, 15);
  W[15] = 33 * 8;
  compress();
  for (let k = 0; k < 8; k++) out[outAt + k] = H[k]!;
}

/** out[outAt..+8] = SHA-256(0x01 ‖ left ‖ right): an interior node (65 bytes, two blocks). */
export function nodeWords(
  left: Int32Array,
  leftAt: number,
  right: Int32Array,
  rightAt: number,
  out: Int32Array,
  outAt: number,
): void {
  H.set(IV);
  let carry = 0x01;
  for (let k = 0; k < 8; k++) {
    const word = left[leftAt + k]!;
    W[k] = (carry << 24) | (word >>> 8);
    carry = word & 0xff;
  }
  for (let k = 0; k < 8; k++) {
    const word = right[rightAt + k]!;
    W[8 + k] = (carry << 24) | (word >>> 8);
    carry = word & 0xff;
  }
  compress();
  W[0] = (carry << 24) | 0x800000;
  W.fill(0, 1, 15);
  W[15] = 65 * 8;
  compress();
  for (let k = 0; k < 8; k++) out[outAt + k] = H[k]!;
}

/** Big-endian words of 32 bytes at `bytes[at]`, into `out[outAt..+8]`. */
export function bytesToWords(bytes: Uint8Array, at: number, out: Int32Array, outAt: number): void {
  for (let k = 0; k < 8; k++) {
    const i = at + 4 * k;
    out[outAt + k] = (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!;
  }
}

/** The 32 bytes of eight big-endian words. */
export function wordsToBytes(words: Int32Array, at: number): Uint8Array {
  const out = new Uint8Array(32);
  for (let k = 0; k < 8; k++) {
    const w = words[at + k]!;
    out[4 * k] = w >>> 24;
    out[4 * k + 1] = w >>> 16;
    out[4 * k + 2] = w >>> 8;
    out[4 * k + 3] = w;
  }
  return out;
}

/** Whether the hashes (eight words each) at `a[aAt]` and `b[bAt]` are equal. */
export function sameWords(a: Int32Array, aAt: number, b: Int32Array, bAt: number): boolean {
  for (let k = 0; k < 8; k++) if (a[aAt + k] !== b[bAt + k]) return false;
  return true;
}

/** Copies the hash (eight words) at `from[fromAt]` to `to[toAt]`. */
export function copyWords(from: Int32Array, fromAt: number, to: Int32Array, toAt: number): void {
  for (let k = 0; k < 8; k++) to[toAt + k] = from[fromAt + k]!;
}
