import { decodeHexWords } from '../chain/hex-bytes.js';

/** Longest audit path accepted: a tree of 2^63 leaves needs 63 hashes. */
export const MAX_PATH = 64;

enum State {
  Start,
  FirstKeyOrEnd,
  Key,
  Colon,
  ArrayOpen,
  FirstHashOrClose,
  Hash,
  CommaOrClose,
  HashAfterComma,
  CommaOrEnd,
  KeyAfterComma,
  Done,
}

const isSpace = (b: number) => b === 32 || b === 10 || b === 13 || b === 9;

/**
 * Streaming parser for proofs.json: a JSON object from decimal seq strings to arrays of 64-hex
 * hashes. It never builds the whole text or a large object, so packs of millions of proofs stay
 * in bounded memory. Calls `onProof` with the path decoded into hashes of eight big-endian words.
 */
export class ProofsParser {
  error: string | undefined;
  private state = State.Start;
  private key = '';
  /** The current seq when read in one step by `wholeKey`, else -1 and `key` holds its digits. */
  private seq = -1;
  private readonly path = new Int32Array(MAX_PATH * 8);
  private n = 0;
  private readonly hex = new Uint8Array(64);
  private hexLength = 0;
  private offset = 0;

  constructor(private readonly onProof: (seq: number, path: Int32Array, n: number) => void) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    const len = chunk.length;
    while (i < len && this.error === undefined) {
      const b = chunk[i]!;
      const skipped = this.wholeHash(chunk, i, b) || this.wholeKey(chunk, i, b);
      if (skipped > 0) {
        i += skipped;
        continue;
      }
      let problem: string | undefined;
      if (this.state === State.Hash) {
        if (this.hexLength === 0 && i + 64 < len && chunk[i + 64] === 34) {
          problem = this.hash(chunk, i);
          i += 65;
        } else {
          problem = this.hashByte(b);
          i++;
        }
      } else if (this.state === State.Key) {
        problem = this.keyByte(b);
        i++;
      } else {
        i++;
        if (!isSpace(b)) problem = this.structural(b);
      }
      if (problem !== undefined) this.fail(problem, i - 1);
    }
    this.offset += len;
  }

  finish(): void {
    if (this.error === undefined && this.state !== State.Done) this.fail('proofs.json ends early', 0);
  }

  /**
   * The common case in one step: `"<64 hex>"` opening a path, or `,"<64 hex>"` after a hash, whole
   * in this chunk. Returns the bytes consumed, or 0 to let the byte-by-byte states (which also
   * name any error) handle it.
   */
  private wholeHash(chunk: Uint8Array, i: number, b: number): number {
    let from: number;
    if (this.state === State.CommaOrClose && b === 44 && chunk[i + 1] === 34) from = i + 2;
    else if (this.state === State.FirstHashOrClose && b === 34) from = i + 1;
    else return 0;
    if (from + 64 >= chunk.length || chunk[from + 64] !== 34 || this.n >= MAX_PATH) return 0;
    if (!decodeHexWords(chunk, from, 8, this.path, this.n * 8)) return 0;
    this.n++;
    this.state = State.CommaOrClose;
    return from + 65 - i;
  }

  /**
   * The common case between two proofs: `,"<seq>":[` whole in this chunk, with a seq of at most
   * 15 digits and no leading zero. Returns the bytes consumed, or 0 to go byte by byte.
   */
  private wholeKey(chunk: Uint8Array, i: number, b: number): number {
    if (this.state !== State.CommaOrEnd || b !== 44 || chunk[i + 1] !== 34) return 0;
    const first = i + 2;
    let seq = 0;
    let at = first;
    for (; at < first + 15; at++) {
      const digit = chunk[at]! - 48;
      if (!(digit >= 0 && digit <= 9)) break;
      seq = seq * 10 + digit;
    }
    if (at === first || chunk[first] === 48) return 0;
    if (chunk[at] !== 34 || chunk[at + 1] !== 58 || chunk[at + 2] !== 91) return 0;
    this.seq = seq;
    this.state = State.FirstHashOrClose;
    return at + 3 - i;
  }

  private hash(src: Uint8Array, from: number): string | undefined {
    if (!decodeHexWords(src, from, 8, this.path, this.n * 8)) return 'hash is not lower-case hex';
    this.n++;
    this.state = State.CommaOrClose;
    return undefined;
  }

  private hashByte(b: number): string | undefined {
    if (b !== 34) {
      if (this.hexLength === 64) return 'hash is not 64 hex characters';
      this.hex[this.hexLength++] = b;
      return undefined;
    }
    if (this.hexLength !== 64) return 'hash is not 64 hex characters';
    this.hexLength = 0;
    return this.hash(this.hex, 0);
  }

  private keyByte(b: number): string | undefined {
    if (b >= 48 && b <= 57) {
      this.key += String.fromCharCode(b);
      return undefined;
    }
    if (b !== 34 || this.key === '' || this.key.length > 16 || this.key[0] === '0')
      return 'member name is not a seq';
    this.state = State.Colon;
    return undefined;
  }

  private structural(b: number): string | undefined {
    switch (this.state) {
      case State.Start:
        return this.expect(b, 123, State.FirstKeyOrEnd, 'expected "{"');
      case State.FirstKeyOrEnd:
        if (b === 125) return this.to(State.Done);
        return this.expect(b, 34, State.Key, 'expected a seq in quotes', true);
      case State.KeyAfterComma:
        return this.expect(b, 34, State.Key, 'expected a seq in quotes', true);
      case State.Colon:
        return this.expect(b, 58, State.ArrayOpen, 'expected ":"');
      case State.ArrayOpen:
        return this.expect(b, 91, State.FirstHashOrClose, 'expected "["');
      case State.FirstHashOrClose:
        if (b === 93) return this.emit();
        return this.openHash(b);
      case State.HashAfterComma:
        return this.openHash(b);
      case State.CommaOrClose:
        if (b === 93) return this.emit();
        return this.expect(b, 44, State.HashAfterComma, 'expected "," or "]"');
      case State.CommaOrEnd:
        if (b === 125) return this.to(State.Done);
        return this.expect(b, 44, State.KeyAfterComma, 'expected "," or "}"');
      default:
        return 'unexpected content';
    }
  }

  private expect(b: number, want: number, next: State, problem: string, newKey = false): string | undefined {
    if (b !== want) return problem;
    if (newKey) {
      this.key = '';
      this.seq = -1;
    }
    return this.to(next);
  }

  private to(next: State): undefined {
    this.state = next;
    return undefined;
  }

  private openHash(b: number): string | undefined {
    if (b !== 34) return 'expected a hex hash in quotes';
    if (this.n >= MAX_PATH) return `audit path longer than ${MAX_PATH} hashes`;
    return this.to(State.Hash);
  }

  private emit(): undefined {
    this.onProof(this.seq >= 0 ? this.seq : Number(this.key), this.path, this.n);
    this.n = 0;
    return this.to(State.CommaOrEnd);
  }

  private fail(reason: string, at: number): void {
    this.error = `${reason} at byte ${this.offset + at}`;
  }
}
