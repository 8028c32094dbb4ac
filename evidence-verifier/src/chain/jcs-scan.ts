/** Where one top-level member of a canonical object sits in its text. */
export interface MemberSpan {
  key: string;
  /** Index of the member's opening quote. */
  start: number;
  valueStart: number;
  /** Index just past the member's value. */
  end: number;
}

export type ScanResult = { ok: true; members: MemberSpan[] } | { ok: false; reason: string; at: number };

const QUOTE = 34;
const BACKSLASH = 92;

class Fail extends Error {
  constructor(
    readonly reason: string,
    readonly at: number,
  ) {
    super(reason);
  }
}

/**
 * Accepts `text` only if it is exactly the RFC 8785 (JCS) serialisation of a JSON object, as the
 * `canonicalize` package writes it: no whitespace, members sorted by UTF-16 code units, numbers in
 * ECMAScript shortest form, strings escaped as JSON.stringify does. Returns the top-level member
 * spans so a caller can cut one member out and still hold canonical text. Nesting is bounded.
 */
export function scanCanonicalObject(text: string, maxDepth = 64): ScanResult {
  const scanner = new Scanner(text, maxDepth);
  try {
    if (text.charCodeAt(0) !== 123) throw new Fail('not a JSON object', 0);
    const members: MemberSpan[] = [];
    scanner.object(1, members);
    if (scanner.pos !== text.length) throw new Fail('text after the object', scanner.pos);
    return { ok: true, members };
  } catch (error) {
    if (error instanceof Fail) return { ok: false, reason: error.reason, at: error.at };
    throw error;
  }
}

class Scanner {
  pos = 0;
  constructor(
    private readonly s: string,
    private readonly maxDepth: number,
  ) {}

  value(depth: number): void {
    const c = this.s.charCodeAt(this.pos);
    if (c === QUOTE) this.string();
    else if (c === 123) this.object(depth + 1, undefined);
    else if (c === 91) this.array(depth + 1);
    else if (c === 45 || (c >= 48 && c <= 57)) this.number();
    else if (c === 116) this.literal('true');
    else if (c === 102) this.literal('false');
    else if (c === 110) this.literal('null');
    else throw new Fail(Number.isNaN(c) ? 'unexpected end of text' : 'unexpected character', this.pos);
  }

  object(depth: number, members: MemberSpan[] | undefined): void {
    if (depth > this.maxDepth) throw new Fail(`nested deeper than ${this.maxDepth} levels`, this.pos);
    const s = this.s;
    this.pos++;
    if (s.charCodeAt(this.pos) === 125) {
      this.pos++;
      return;
    }
    let previous: string | undefined;
    for (;;) {
      const start = this.pos;
      if (s.charCodeAt(start) !== QUOTE) throw new Fail('expected a member name', start);
      const escaped = this.string();
      const key = escaped
        ? (JSON.parse(s.slice(start, this.pos)) as string)
        : s.slice(start + 1, this.pos - 1);
      if (previous !== undefined && !(previous < key))
        throw new Fail(`member "${key}" is out of canonical order or repeated`, start);
      previous = key;
      if (s.charCodeAt(this.pos) !== 58) throw new Fail('expected ":"', this.pos);
      this.pos++;
      const valueStart = this.pos;
      this.value(depth);
      members?.push({ key, start, valueStart, end: this.pos });
      const next = s.charCodeAt(this.pos++);
      if (next === 125) return;
      if (next !== 44) throw new Fail('expected "," or "}"', this.pos - 1);
    }
  }

  array(depth: number): void {
    if (depth > this.maxDepth) throw new Fail(`nested deeper than ${this.maxDepth} levels`, this.pos);
    this.pos++;
    if (this.s.charCodeAt(this.pos) === 93) {
      this.pos++;
      return;
    }
    for (;;) {
      this.value(depth);
      const next = this.s.charCodeAt(this.pos++);
      if (next === 93) return;
      if (next !== 44) throw new Fail('expected "," or "]"', this.pos - 1);
    }
  }

  string(): boolean {
    const s = this.s;
    let i = this.pos + 1;
    let escaped = false;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i = this.escape(i);
      } else if (!(c >= 0x20)) {
        throw new Fail(Number.isNaN(c) ? 'unterminated string' : 'unescaped control character', i);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const low = s.charCodeAt(i + 1);
        if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) throw new Fail('unpaired surrogate', i);
        i += 2;
      } else {
        i++;
      }
    }
    this.pos = i + 1;
    return escaped;
  }

  private escape(i: number): number {
    const e = this.s.charCodeAt(i + 1);
    if (e === QUOTE || e === BACKSLASH || e === 98 || e === 102 || e === 110 || e === 114 || e === 116)
      return i + 2;
    if (e !== 117) throw new Fail('escape JCS does not use', i);
    const code = this.hex4(i + 2);
    if (code < 0x20) {
      if (code === 8 || code === 9 || code === 10 || code === 12 || code === 13)
        throw new Fail('control character escaped in long form', i);
      return i + 6;
    }
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = this.s.charCodeAt(i + 6) === BACKSLASH && this.s.charCodeAt(i + 7) === 117;
      if (next) {
        const low = this.hex4(i + 8);
        if (low >= 0xdc00 && low <= 0xdfff) throw new Fail('escaped surrogate pair', i);
      }
      return i + 6;
    }
    if (code >= 0xdc00 && code <= 0xdfff) return i + 6;
    throw new Fail('character escaped that JCS writes as is', i);
  }

  private hex4(at: number): number {
    let code = 0;
    for (let k = 0; k < 4; k++) {
      const h = this.s.charCodeAt(at + k);
      const digit = h >= 48 && h <= 57 ? h - 48 : h >= 97 && h <= 102 ? h - 87 : -1;
      if (digit < 0) throw new Fail('escape is not four lower-case hex digits', at);
      code = code * 16 + digit;
    }
    return code;
  }

  private number(): void {
    const s = this.s;
    const start = this.pos;
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46 || c === 101 || c === 69) i++;
      else break;
    }
    const token = s.slice(start, i);
    if (String(Number(token)) !== token) throw new Fail('number not in canonical form', start);
    this.pos = i;
  }

  private literal(word: string): void {
    if (!this.s.startsWith(word, this.pos)) throw new Fail('unexpected character', this.pos);
    this.pos += word.length;
  }
}
