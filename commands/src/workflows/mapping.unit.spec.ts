import { describe, expect, it } from 'vitest';
import {
  MappingResolutionError,
  MappingSyntaxError,
  mappingReferences,
  parseReference,
  referenceText,
  resolveMapping,
} from './mapping.js';
import { mappingIssues } from './mapping-schema.js';

const context = {
  input: { x: 7, 'first name': 'Ada', list: ['a', 'b'] },
  outputs: {
    classify: { tier: 'high', scores: { risk: 0.8 }, items: [{ id: 'i1' }, { id: 'i2' }] },
    empty: null,
  },
};

describe('references', () => {
  it('reads the run input and completed outputs by name, index and quoted key', () => {
    expect(resolveMapping('$.input', context)).toEqual(context.input);
    expect(resolveMapping('$.input.x', context)).toBe(7);
    expect(resolveMapping('$.input["first name"]', context)).toBe('Ada');
    expect(resolveMapping('$.input.list[1]', context)).toBe('b');
    expect(resolveMapping('$.nodes.classify.output.scores.risk', context)).toBe(0.8);
    expect(resolveMapping('$.nodes.classify.output.items[0].id', context)).toBe('i1');
    expect(resolveMapping('$.nodes.empty.output', context)).toBeNull();
  });

  it('maps objects and arrays member by member and keeps every other value as written', () => {
    expect(
      resolveMapping(
        {
          tier: '$.nodes.classify.output.tier',
          both: ['$.input.x', 3, true, null],
          note: 'plain',
          n: { k: 1 },
        },
        context,
      ),
    ).toEqual({ tier: 'high', both: [7, 3, true, null], note: 'plain', n: { k: 1 } });
  });

  it('leaves out members that lead nowhere and turns such array items into null', () => {
    expect(resolveMapping({ a: '$.input.nope', b: '$.input.x' }, context)).toEqual({ b: 7 });
    expect(resolveMapping(['$.input.list[9]'], context)).toEqual([null]);
    expect(resolveMapping('$.input.x.deeper', context)).toBeUndefined();
    expect(resolveMapping('$.input.list.length', context)).toBeUndefined();
  });

  it('never walks into the prototype, and an own __proto__ key stays a plain member', () => {
    expect(resolveMapping('$.input.constructor', context)).toBeUndefined();
    expect(resolveMapping('$.input["__proto__"]', context)).toBeUndefined();
    const mapped = resolveMapping(JSON.parse('{"__proto__": "$.input.x"}'), context) as object;
    expect(Object.getPrototypeOf(mapped)).toBe(Object.prototype);
    expect(Object.entries(mapped)).toEqual([['__proto__', 7]]);
  });

  it('drops one leading $ of an escaped literal', () => {
    expect(resolveMapping('$$.input.x', context)).toBe('$.input.x');
    expect(resolveMapping('$$$', context)).toBe('$$');
    expect(resolveMapping('$5 fee', context)).toBe('$5 fee');
    expect(mappingReferences({ a: '$$.nodes.x.output' })).toEqual([]);
  });

  it('refuses an output that is not there yet, naming the node', () => {
    expect(() => resolveMapping({ a: '$.nodes.later.output.x' }, context)).toThrow(MappingResolutionError);
    expect(() => resolveMapping('$.nodes.later.output', context)).toThrow('node later has no output');
  });
});

describe('the syntax', () => {
  it.each([
    ['$.inputs.x', 'a reference starts with "$.input" or "$.nodes.<id>.output"'],
    ['$.nodes.a.result', 'expected ".output" after "$.nodes.a"'],
    ['$.nodes..output', 'expected a node id'],
    ['$.input.', 'expected a name after "."'],
    ['$.input[-1]', 'expected ".name", "[index]"'],
    ['$.input[01]', 'expected ".name", "[index]"'],
    ['$.input["a]', 'expected ".name", "[index]"'],
    ['$.input.1a', 'expected a name after "."'],
  ])('refuses %s', (text, message) => {
    expect(() => parseReference(text)).toThrow(MappingSyntaxError);
    expect(() => parseReference(text)).toThrow(message);
  });

  it('lists the references of a mapping with where they sit', () => {
    expect(
      mappingReferences({ a: '$.input.x', b: ['lit', '$.nodes.n1.output.items[2]["a b"]'], c: { d: 1 } }),
    ).toEqual([
      { at: ['a'], text: '$.input.x', source: { kind: 'input' }, path: ['x'] },
      {
        at: ['b', 1],
        text: '$.nodes.n1.output.items[2]["a b"]',
        source: { kind: 'node', nodeId: 'n1' },
        path: ['items', 2, 'a b'],
      },
    ]);
    expect(mappingReferences('$.nodes.n-2.output')).toEqual([
      { at: [], text: '$.nodes.n-2.output', source: { kind: 'node', nodeId: 'n-2' }, path: [] },
    ]);
  });

  it('writes a parsed reference back as text that parses to it again', () => {
    for (const text of ['$.input', '$.input.a[0]["b c"]', '$.nodes.x_1.output["\\"q\\""].y'])
      expect(referenceText(parseReference(text))).toBe(text);
  });

  it('finds bad references, non-JSON values and deep nesting anywhere in a mapping', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10; i++) deep = [deep];
    expect(mappingIssues({ ok: '$.input', bad: ['$.nodes.x'], n: Number.NaN, deep })).toEqual([
      { path: ['deep', 0, 0, 0, 0, 0, 0, 0, 0], message: 'nests deeper than 8 levels' },
      { path: ['n'], message: 'must be a finite number' },
      { path: ['bad', 0], message: expect.stringContaining('expected ".output" after "$.nodes.x"') },
    ]);
  });
});
