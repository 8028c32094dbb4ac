import { describe, expect, it } from 'vitest';
import { ProofsParser } from './proofs-parser.js';

const h = (c: string) => c.repeat(64);
const encoder = new TextEncoder();

function parse(text: string, chunkSize: number) {
  const seen: [number, string[]][] = [];
  const parser = new ProofsParser((seq, path, n) => {
    const hashes = Array.from({ length: n }, (_, i) =>
      Array.from(path.subarray(i * 8, i * 8 + 8), (w) => (w >>> 0).toString(16).padStart(8, '0')).join(''),
    );
    seen.push([seq, hashes]);
  });
  const bytes = encoder.encode(text);
  for (let at = 0; at < bytes.length; at += chunkSize) parser.push(bytes.subarray(at, at + chunkSize));
  parser.finish();
  return { seen, error: parser.error };
}

describe('ProofsParser', () => {
  const text = `{"1":["${h('a')}","${h('b')}"], "12" : [ "${h('0')}" ],\n"3":[]}`;

  it('yields every proof whatever the chunk boundaries', () => {
    for (const size of [1, 2, 7, 64, 65, 1000]) {
      expect(parse(text, size)).toEqual({
        seen: [
          [1, [h('a'), h('b')]],
          [12, [h('0')]],
          [3, []],
        ],
        error: undefined,
      });
    }
    expect(parse('{}', 1)).toEqual({ seen: [], error: undefined });
  });

  it('refuses what is not a map of seq to lower-case hex paths', () => {
    const bad = [
      `{"1":["${h('A')}"]}`,
      `{"01":["${h('a')}"]}`,
      `{"x":["${h('a')}"]}`,
      `{"1":["${'a'.repeat(63)}"]}`,
      `{"1":["${'a'.repeat(65)}"]}`,
      `{"1":["${h('a')}",]}`,
      `{"1":["${h('a')}"]`,
      `{"1":[${Array.from({ length: 65 }, () => `"${h('a')}"`).join(',')}]}`,
      `{"1":["${h('a')}"]} x`,
    ];
    for (const text of bad) for (const size of [3, 4096]) expect(parse(text, size).error, text).toBeDefined();
  });
});
