import { decodeHexBytes } from '../chain/hex-bytes.js';

/** Longest audit path accepted: a tree of 2^63 leaves needs 63 hashes. */
export const MAX_PATH = 64;

const enum State {
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
 * in bounded memory. Calls `onProof` with the path decoded into 32-byte hashes.
 */
export class ProofsParser {
  error: string | undefined;
  private state = State.Start;
  private key = '';
  private readonly path = new Uint8Array(MAX_PATH * 32);
  private n = 0;
  private readonly hex = new Uint8Array(64);
  private hexLength = 0;
  private offset = 0;

  constructor(private readonly onProof: (seq: number, path: Uint8Array, n: number) => void) {}

  push(chunk: Uint8Array): void {
    let i = 0;
    const len = chunk.length;
    while (i < len && this.error === undefined) {
      const b = chunk[i]!;
      switch (this.state) {
        case State.Hash: {
          if (this.hexLength === 0 && i + 64 < len && chunk[i + 64] === 34) {
            if (!decodeHexBytes(chunk, i, 32, this.path, this.n * 32)) return this.fail('hash is not lower-case hex', i);
            this.n++;
            i += 65;
            this.state = State.CommaOrClose;
            continue;
          }
          if (b === 34) {
            if (this.hexLength !== 64) return this.fail('hash is not 64 hex characters', i);
            if (!decodeHexBytes(this.hex, 0, 32, this.path, this.n * 32)) return this.fail('hash is not lower-case hex', i);
            this.n++;
            this.hexLength = 0;
            this.state = State.CommaOrClose;
          } else {
            if (this.hexLength === 64) return this.fail('hash is not 64 hex characters', i);
            this.hex[this.hexLength++] = b;
          }
          i++;
          continue;
        }
        case State.Key:
          if (b === 34) {
            if (this.key === '' || this.key.length > 16 || this.key[0] === '0')
              return this.fail('member name is not a seq', i);
            this.state = State.Colon;
          } else if (b >= 48 && b <= 57) {
            this.key += String.fromCharCode(b);
          } else {
            return this.fail('member name is not a seq', i);
          }
          i++;
          continue;
      }
      i++;
      if (isSpace(b)) continue;
      this.structural(b, i - 1);
    }
    this.offset += len;
  }

  finish(): void {
    if (this.error === undefined && this.state !== State.Done) this.fail('proofs.json ends early', 0);
  }

  private structural(b: number, at: number): void {
    switch (this.state) {
      case State.Start:
        return b === 123 ? void (this.state = State.FirstKeyOrEnd) : this.fail('expected "{"', at);
      case State.FirstKeyOrEnd:
        if (b === 125) return void (this.state = State.Done);
        return this.openKey(b, at);
      case State.KeyAfterComma:
        return this.openKey(b, at);
      case State.Colon:
        return b === 58 ? void (this.state = State.ArrayOpen) : this.fail('expected ":"', at);
      case State.ArrayOpen:
        return b === 91 ? void (this.state = State.FirstHashOrClose) : this.fail('expected "["', at);
      case State.FirstHashOrClose:
        if (b === 93) return this.emit();
        return this.openHash(b, at);
      case State.HashAfterComma:
        return this.openHash(b, at);
      case State.CommaOrClose:
        if (b === 93) return this.emit();
        return b === 44 ? void (this.state = State.HashAfterComma) : this.fail('expected "," or "]"', at);
      case State.CommaOrEnd:
        if (b === 125) return void (this.state = State.Done);
        return b === 44 ? void (this.state = State.KeyAfterComma) : this.fail('expected "," or "}"', at);
      default:
        return this.fail('unexpected content', at);
    }
  }

  private openKey(b: number, at: number): void {
    if (b !== 34) return this.fail('expected a seq in quotes', at);
    this.key = '';
    this.state = State.Key;
  }

  private openHash(b: number, at: number): void {
    if (b !== 34) return this.fail('expected a hex hash in quotes', at);
    if (this.n >= MAX_PATH) return this.fail(`audit path longer than ${MAX_PATH} hashes`, at);
    this.state = State.Hash;
  }

  private emit(): void {
    this.onProof(Number(this.key), this.path, this.n);
    this.n = 0;
    this.state = State.CommaOrEnd;
  }

  private fail(reason: string, at: number): void {
    this.error = `${reason} at byte ${this.offset + at}`;
  }
}
