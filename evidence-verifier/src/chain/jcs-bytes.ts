const QUOTE = 34;
const BACKSLASH = 92;
/** Returned by a step that cannot vouch for the text: the caller falls back to the string scan. */
const UNSURE = -1;

/**
 * The fast path of `scanCanonicalObject`, on UTF-8 bytes instead of a decoded string: accepts a
 * line only when it is valid UTF-8 and canonical JCS of an object, and then records where each
 * top-level member sits, in byte offsets. It answers `false` ("unsure") for everything else,
 * including canonical text it does not handle (member names with escapes or non-ASCII), so the
 * caller asks the string scanner, which gives the verdict and the reason. Nesting is bounded.
 */
export class CanonicalBytesScanner {
  /** Per top-level member: its opening quote, where its value starts, and just past its value. */
  spans = new Int32Array(3 * 16);
  members = 0;
  private s: Uint8Array = new Uint8Array(0);
  private maxDepth = 64;
  private base = 0;

  scan(bytes: Uint8Array, maxDepth = 64): boolean {
    return this.scanObject(bytes, 0, maxDepth) === bytes.length;
  }

  /**
   * Like `scan`, for an object starting at `bytes[start]` and running as far as it does: returns
   * the index just past it (-1 when unsure), with spans counted from `start`. A newline never
   * lies inside an object this accepts, so a caller can find where a line ends this way.
   */
  scanObject(bytes: Uint8Array, start: number, maxDepth = 64): number {
    this.s = bytes;
    this.base = start;
    this.maxDepth = maxDepth;
    this.members = 0;
    if (bytes[start] !== 123) return UNSURE;
    return this.object(start, 1, true);
  }

  private value(i: number, depth: number): number {
    const c = this.s[i];
    if (c === QUOTE) return this.string(i);
    if (c === 123) return this.object(i, depth + 1, false);
    if (c === 91) return this.array(i, depth + 1);
    if (c === 45 || (c !== undefined && c >= 48 && c <= 57)) return this.number(i);
    if (c === 116) return this.word(i, TRUE);
    if (c === 102) return this.word(i, FALSE);
    if (c === 110) return this.word(i, NULL);
    return UNSURE;
  }

  private object(at: number, depth: number, top: boolean): number {
    if (depth > this.maxDepth) return UNSURE;
    const s = this.s;
    let i = at + 1;
    if (s[i] === 125) return i + 1;
    let previousStart = -1;
    let previousEnd = -1;
    for (;;) {
      const start = i;
      const keyEnd = this.plainKey(i);
      if (keyEnd === UNSURE) return UNSURE;
      if (previousStart >= 0 && !this.ascends(previousStart, previousEnd, start, keyEnd)) return UNSURE;
      previousStart = start;
      previousEnd = keyEnd;
      if (s[keyEnd] !== 58) return UNSURE;
      const valueStart = keyEnd + 1;
      i = this.value(valueStart, depth);
      if (i === UNSURE) return UNSURE;
      if (top) this.record(start, valueStart, i);
      const next = s[i++];
      if (next === 125) return i;
      if (next !== 44) return UNSURE;
    }
  }

  private array(at: number, depth: number): number {
    if (depth > this.maxDepth) return UNSURE;
    let i = at + 1;
    if (this.s[i] === 93) return i + 1;
    for (;;) {
      i = this.value(i, depth);
      if (i === UNSURE) return UNSURE;
      const next = this.s[i++];
      if (next === 93) return i;
      if (next !== 44) return UNSURE;
    }
  }

  /** A member name of printable ASCII without escapes: ordering its bytes orders its UTF-16 units. */
  private plainKey(at: number): number {
    const s = this.s;
    if (s[at] !== QUOTE) return UNSURE;
    let i = at + 1;
    while (PLAIN[s[i]! | 0] === 1) i++;
    return s[i] === QUOTE ? i + 1 : UNSURE;
  }

  /** Is the name quoted at [aStart, aEnd) strictly before the one at [bStart, bEnd)? */
  private ascends(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
    const s = this.s;
    const a = aEnd - aStart - 2;
    const b = bEnd - bStart - 2;
    const n = Math.min(a, b);
    for (let k = 1; k <= n; k++) {
      const x = s[aStart + k]!;
      const y = s[bStart + k]!;
      if (x !== y) return x < y;
    }
    return a < b;
  }

  private string(at: number): number {
    const s = this.s;
    let i = at + 1;
    for (;;) {
      // Printable ASCII other than `"` and `\` is by far the most common: skip it in a tight loop.
      // `| 0` keeps the table lookup numeric when a partial line runs off the end of a chunk.
      while (PLAIN[s[i]! | 0] === 1) i++;
      const c = s[i];
      if (c === undefined || c < 0x20) return UNSURE;
      if (c === QUOTE) return i + 1;
      i = c === BACKSLASH ? this.escape(i) : this.utf8(i, c);
      if (i === UNSURE) return UNSURE;
    }
  }

  /** One multi-byte UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF). */
  private utf8(i: number, c: number): number {
    const s = this.s;
    const c1 = s[i + 1]! | 0;
    if (c >= 0xc2 && c <= 0xdf) return (c1 & 0xc0) === 0x80 ? i + 2 : UNSURE;
    const c2 = s[i + 2]! | 0;
    if (c >= 0xe0 && c <= 0xef) {
      const low = c === 0xe0 ? 0xa0 : 0x80;
      const high = c === 0xed ? 0x9f : 0xbf;
      return c1 >= low && c1 <= high && (c2 & 0xc0) === 0x80 ? i + 3 : UNSURE;
    }
    const c3 = s[i + 3]! | 0;
    if (c >= 0xf0 && c <= 0xf4) {
      const low = c === 0xf0 ? 0x90 : 0x80;
      const high = c === 0xf4 ? 0x8f : 0xbf;
      return c1 >= low && c1 <= high && (c2 & 0xc0) === 0x80 && (c3 & 0xc0) === 0x80 ? i + 4 : UNSURE;
    }
    return UNSURE;
  }

  /** The escapes JCS writes, as the string scanner accepts them. */
  private escape(i: number): number {
    const e = this.s[i + 1];
    if (e === QUOTE || e === BACKSLASH || e === 98 || e === 102 || e === 110 || e === 114 || e === 116)
      return i + 2;
    if (e !== 117) return UNSURE;
    const code = this.hex4(i + 2);
    if (code < 0) return UNSURE;
    if (code < 0x20)
      return code === 8 || code === 9 || code === 10 || code === 12 || code === 13 ? UNSURE : i + 6;
    if (code >= 0xd800 && code <= 0xdbff) {
      if (this.s[i + 6] === BACKSLASH && this.s[i + 7] === 117) {
        const low = this.hex4(i + 8);
        if (low >= 0xdc00 && low <= 0xdfff) return UNSURE;
      }
      return i + 6;
    }
    return code >= 0xdc00 && code <= 0xdfff ? i + 6 : UNSURE;
  }

  private hex4(at: number): number {
    let code = 0;
    for (let k = 0; k < 4; k++) {
      const h = this.s[at + k];
      const digit = h === undefined ? -1 : h >= 48 && h <= 57 ? h - 48 : h >= 97 && h <= 102 ? h - 87 : -1;
      if (digit < 0) return -1;
      code = code * 16 + digit;
    }
    return code;
  }

  private number(at: number): number {
    const s = this.s;
    let i = at;
    let plain = true;
    for (;;) {
      const c = s[i];
      if (c !== undefined && c >= 48 && c <= 57) i++;
      else if (c === 45 || c === 43 || c === 46 || c === 101 || c === 69) {
        plain &&= c === 45 && i === at;
        i++;
      } else break;
    }
    // A plain integer of at most 15 digits without a leading zero is in shortest form already.
    const first = at + (s[at] === 45 ? 1 : 0);
    const digits = i - first;
    if (plain && digits > 0 && digits <= 15 && (s[first] !== 48 || (digits === 1 && first === at))) return i;
    // No number in shortest form is this long; the string scan says what is wrong with it.
    if (i - at > 32) return UNSURE;
    const token = String.fromCharCode(...s.subarray(at, i));
    return String(Number(token)) === token ? i : UNSURE;
  }

  private word(at: number, word: Uint8Array): number {
    for (let k = 0; k < word.length; k++) if (this.s[at + k] !== word[k]) return UNSURE;
    return at + word.length;
  }

  private record(start: number, valueStart: number, end: number): void {
    const at = 3 * this.members++;
    if (at + 3 > this.spans.length) {
      const bigger = new Int32Array(this.spans.length * 2);
      bigger.set(this.spans);
      this.spans = bigger;
    }
    this.spans[at] = start - this.base;
    this.spans[at + 1] = valueStart - this.base;
    this.spans[at + 2] = end - this.base;
  }
}

/** 1 for the bytes a JSON string holds as they are without further checks. */
const PLAIN = new Uint8Array(256);
for (let c = 0x20; c < 0x80; c++) if (c !== QUOTE && c !== BACKSLASH) PLAIN[c] = 1;

const ascii = (word: string) => Uint8Array.from(word, (c) => c.charCodeAt(0));
const TRUE = ascii('true');
const FALSE = ascii('false');
const NULL = ascii('null');
