import { describe, expect, it } from 'vitest';
import { canonicalJson } from './envelope.js';
import { scanCanonicalObject } from './jcs-scan.js';

/** The reference: text is canonical iff re-canonicalising its parse gives it back. */
function oracle(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return (
      typeof value === 'object' && value !== null && !Array.isArray(value) && canonicalJson(value) === text
    );
  } catch {
    return false;
  }
}

let state = 12345;
const rand = (n: number) => {
  state = (state * 1103515245 + 12345) % 2 ** 31;
  return state % n;
};
const STRINGS = [
  '',
  'a',
  'é',
  '€',
  '😀',
  '\u0000',
  '\u001f',
  '\n',
  '"',
  '\\',
  '/',
  '\u2028',
  '\ud800',
  '\udc00x',
  'Z',
];
const NUMBERS = [0, -0, 1, -1, 1.5, 1e21, 1e-7, 123456789012, 0.1, 2 ** 53, -3.25e-10];

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
  for (let i = rand(5); i > 0; i--) out[STRINGS[rand(STRINGS.length)]! + rand(3)] = randomValue(depth);
  return out;
}

const MUTATIONS: ((s: string, at: number) => string)[] = [
  (s, at) => `${s.slice(0, at)} ${s.slice(at)}`,
  (s, at) => s.slice(0, at) + s.slice(at + 1),
  (s, at) => s.slice(0, at) + s[at + 1] + s[at] + s.slice(at + 2),
  (s, at) => `${s.slice(0, at)}\\u0041${s.slice(at)}`,
  (s, at) => `${s.slice(0, at)}\\/${s.slice(at)}`,
  (s, at) => `${s.slice(0, at)}0${s.slice(at)}`,
  (s, at) => `${s.slice(0, at)}e1${s.slice(at)}`,
  (s, at) => s.slice(0, at) + s.slice(at).toUpperCase(),
  (s, at) => `${s.slice(0, at)}\\ud83d\\ude00${s.slice(at)}`,
  (s, at) => `${s.slice(0, at)}\\u000a${s.slice(at)}`,
];

describe('scanCanonicalObject', () => {
  it('accepts what canonicalize writes and agrees with the re-canonicalising oracle on mutations', () => {
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      const text = canonicalJson(randomObject(0));
      expect(scanCanonicalObject(text).ok, text).toBe(true);
      const mutated = MUTATIONS[rand(MUTATIONS.length)]!(text, rand(text.length));
      const verdict = scanCanonicalObject(mutated).ok;
      expect(verdict, mutated).toBe(oracle(mutated));
      if (!verdict) rejected++;
    }
    expect(rejected).toBeGreaterThan(1000);
  });

  it('gives the top-level member spans', () => {
    const text = '{"a":[1,{"x":2}],"b":"\\"q","c":{}}';
    const scan = scanCanonicalObject(text);
    if (!scan.ok) throw new Error(scan.reason);
    expect(scan.members.map((m) => [m.key, text.slice(m.valueStart, m.end)])).toEqual([
      ['a', '[1,{"x":2}]'],
      ['b', '"\\"q"'],
      ['c', '{}'],
    ]);
  });

  it('refuses nesting beyond the limit without overflowing the stack', () => {
    const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(scanCanonicalObject(deep)).toMatchObject({ ok: false, reason: 'nested deeper than 64 levels' });
    expect(scanCanonicalObject('{"a":[[1]]}', 2)).toMatchObject({ ok: false });
    expect(scanCanonicalObject('{"a":[1]}', 2).ok).toBe(true);
  });

  it('names the reason for common departures from JCS', () => {
    expect(scanCanonicalObject('{"b":1,"a":2}')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/order/),
    });
    expect(scanCanonicalObject('{"a":1,"a":2}')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/repeated/),
    });
    expect(scanCanonicalObject('{"a":1.0}')).toMatchObject({
      ok: false,
      reason: 'number not in canonical form',
    });
    expect(scanCanonicalObject('{"a":1} ')).toMatchObject({ ok: false, reason: 'text after the object' });
    expect(scanCanonicalObject('[1]')).toMatchObject({ ok: false, reason: 'not a JSON object' });
  });
});
