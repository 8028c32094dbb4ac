const NIBBLE = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[97 + i] = 10 + i;

const PAIR = new Int16Array(65536).fill(-1);
for (let hi = 0; hi < 256; hi++)
  for (let lo = 0; lo < 256; lo++)
    if (NIBBLE[hi]! >= 0 && NIBBLE[lo]! >= 0) PAIR[(hi << 8) | lo] = (NIBBLE[hi]! << 4) | NIBBLE[lo]!;

/** Decodes 2·n lower-case hex ASCII bytes at `src[from]` into `out[at]`; false on any other byte. */
export function decodeHexBytes(
  src: Uint8Array,
  from: number,
  n: number,
  out: Uint8Array,
  at: number,
): boolean {
  for (let k = 0; k < n; k++) {
    const v = PAIR[(src[from + 2 * k]! << 8) | src[from + 2 * k + 1]!]!;
    if (v < 0) return false;
    out[at + k] = v;
  }
  return true;
}

/** Decodes a lower-case hex string of 2·n characters into `out[at]`; false if it is not one. */
export function decodeHexString(hex: string, n: number, out: Uint8Array, at: number): boolean {
  if (hex.length !== 2 * n) return false;
  for (let k = 0; k < n; k++) {
    const hi = NIBBLE[hex.charCodeAt(2 * k) & 0xff]!;
    const lo = NIBBLE[hex.charCodeAt(2 * k + 1) & 0xff]!;
    if ((hi | lo) < 0 || hex.charCodeAt(2 * k) > 0xff || hex.charCodeAt(2 * k + 1) > 0xff) return false;
    out[at + k] = (hi << 4) | lo;
  }
  return true;
}

export function equalAt(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a[aAt + k] !== b[bAt + k]) return false;
  return true;
}

/** Decodes 8·n lower-case hex ASCII bytes at `src[from]` into n big-endian words at `out[at]`; false on any other byte. */
export function decodeHexWords(
  src: Uint8Array,
  from: number,
  n: number,
  out: Int32Array,
  at: number,
): boolean {
  for (let k = 0; k < n; k++) {
    const i = from + 8 * k;
    const b0 = PAIR[(src[i]! << 8) | src[i + 1]!]!;
    const b1 = PAIR[(src[i + 2]! << 8) | src[i + 3]!]!;
    const b2 = PAIR[(src[i + 4]! << 8) | src[i + 5]!]!;
    const b3 = PAIR[(src[i + 6]! << 8) | src[i + 7]!]!;
    if ((b0 | b1 | b2 | b3) < 0) return false;
    out[at + k] = (b0 << 24) | (b1 << 16) | (b2 << 8) | b3;
  }
  return true;
}
