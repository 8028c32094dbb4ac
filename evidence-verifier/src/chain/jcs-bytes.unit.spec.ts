import { describe, expect, it } from 'vitest';
import { canonicalJson } from './envelope.js';
import { CanonicalBytesScanner } from './jcs-bytes.js';
import { scanCanonicalObject } from './jcs-scan.js';

let state = 4242;
const rand = (n: number) => {
  state = (state * 1103515245 + 12345) % 2 ** 31;
  return state % n;
};
const STRINGS = ['', 'a', 'é', '€', '😀', '\u0000', '\u001f', '\n', '"', '\\', '/', '\u2028', '\ud800', 'Z'];
const NUMBERS = [0, -0, 1, -1, 1.5, 1e21, 1e-7, 123456789012345, 1234567890123456, 0.1, 2 ** 53, -3.25e-10];
const KEYS = ['a', 'b', 'ab', 'B', '_', 'a b', 'é', 'k\\'];

function randomValue(depth: number): unknown {
  const pick = rand(depth > 3 ? 4 : 7);
  if (pick === 0) return STRINGS[rand(STRINGS.length)]! + STRINGS[rand(STRINGS.length)]!;
  if (pick === 1) return NUMBERS[rand(NUMBERS.length)];
  if (pick === 2) return [true, false, null][rand(3)];
  if (pick === 3) return STRINGS[rand(STRINGS.length)];
  if (pick === 4) return Array.from({ length: rand(4) }, () => randomValue(depth + 1));
  return randomObject(depth + 1);
}

function randomObject(depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = rand(5); i > 0; i--) out[KEYS[rand(KEYS.length)]! + rand(3)] = randomValue(depth);
  return out;
}

const BYTES = [0x20, 0x22, 0x5c, 0x30, 0x31, 0x2d, 0x2e, 0x65, 0x7b, 0x7d, 0x5b, 0x5d, 0x2c, 0x3a, 0x75];
const HIGH = [0x80, 0xbf, 0xc0, 0xc3, 0xe0, 0xed, 0xa0, 0xf0, 0xf4, 0x90, 0xff];

function mutate(bytes: Uint8Array): Uint8Array {
  const out = Array.from(bytes);
  const at = rand(out.length + 1);
  const kind = rand(4);
  const byte = rand(3) === 0 ? HIGH[rand(HIGH.length)]! : BYTES[rand(BYTES.length)]!;
  if (kind === 0) out.splice(at, 1);
  else if (kind === 1) out.splice(at, 0, byte);
  else if (kind === 2) out[at] = byte;
  else out.splice(at, 2, out[at + 1] ?? 0, out[at] ?? 0);
  return Uint8Array.from(out);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** What the string scanner says of these bytes, with its member spans in byte offsets. */
function byString(bytes: Uint8Array): number[] | undefined {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  const scan = scanCanonicalObject(text, 8);
  if (!scan.ok) return undefined;
  const at = (i: number) => encoder.encode(text.slice(0, i)).length;
  return scan.members.flatMap((m) => [at(m.start), at(m.valueStart), at(m.end)]);
}

describe('CanonicalBytesScanner', () => {
  it('vouches only for what the string scanner accepts, with the same member spans', () => {
    const scanner = new CanonicalBytesScanner();
    let vouched = 0;
    let mutatedVouched = 0;
    for (let i = 0; i < 4000; i++) {
      const original = encoder.encode(canonicalJson(randomObject(0)));
      for (const bytes of [original, mutate(original), mutate(mutate(original))]) {
        if (!scanner.scan(bytes, 8)) continue;
        const text = new TextDecoder().decode(bytes);
        expect(byString(bytes), text).toEqual(Array.from(scanner.spans.subarray(0, 3 * scanner.members)));
        vouched++;
        if (bytes !== original) mutatedVouched++;
      }
    }
    // It must take the common case, not leave everything to the string scanner.
    expect(vouched).toBeGreaterThan(2000);
    expect(mutatedVouched).toBeGreaterThan(100);
  });

  it('leaves invalid UTF-8, escaped or non-ASCII member names and deep nesting to the string scanner', () => {
    const scanner = new CanonicalBytesScanner();
    const plain = (text: string) => scanner.scan(encoder.encode(text), 4);
    expect(plain('{"a":"é","b":[1,-2,0,1.5,true,null]}')).toBe(true);
    expect(plain('{"é":1}')).toBe(false);
    expect(plain('{"a\\"":1}')).toBe(false);
    expect(plain('{"a":[[[[1]]]]}')).toBe(false);
    expect(plain('{"a":-0}')).toBe(false);
    expect(plain('{"a":1234567890123456789}')).toBe(false);
    expect(plain(`{"a":${'1'.repeat(100_000)}}`)).toBe(false);
    expect(scanner.scan(Uint8Array.of(123, 34, 97, 34, 58, 34, 0xed, 0xa0, 0x80, 34, 125))).toBe(false);
    expect(scanner.scan(Uint8Array.of(123, 34, 97, 34, 58, 34, 0xc0, 0xaf, 34, 125))).toBe(false);
  });
});

describe('CanonicalBytesScanner.scanObject', () => {
  it('finds where an object starting mid-buffer ends, with spans counted from its start', () => {
    const scanner = new CanonicalBytesScanner();
    const bytes = encoder.encode('xx{"a":"b\\n","c":[1,{}]}\n{"d":1}');
    expect(scanner.scanObject(bytes, 2)).toBe(24);
    expect(Array.from(scanner.spans.subarray(0, 6))).toEqual([1, 5, 10, 11, 15, 21]);
    expect(scanner.scanObject(bytes, 25)).toBe(bytes.length);
    expect(scanner.scanObject(bytes.subarray(0, 20), 2)).toBe(-1);
    expect(scanner.scanObject(bytes, 0)).toBe(-1);
  });
});
