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
