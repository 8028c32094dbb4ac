import { describe, expect, it } from 'vitest';
import { BLOCKED_PATTERN_SCAN_CHARS } from './blocked-patterns.js';
import { compileGlobs, globMatch } from './glob.js';
import { compilePolicy, evaluatePolicy, evaluateToolCall, parsePolicy } from './index.js';
import { compileUserPattern, USER_PATTERN_MAX_PROGRAM, UserPatternError } from './user-pattern.js';

/**
 * Patterns that backtrack exponentially (or with a high polynomial) on a JavaScript RegExp. On RE2 each
 * must compile and answer at once; `short` and `long` are inputs with the answer they must give. The
 * long inputs would take a backtracking engine from seconds to centuries, so a spec that returns at
 * all proves the engine does not backtrack.
 */
const CATASTROPHIC: { pattern: string; long: [string, boolean][] }[] = [
  {
    pattern: '(a+)+b',
    long: [
      [`${'a'.repeat(60)}!`, false],
      [`${'a'.repeat(60)}b`, true],
    ],
  },
  {
    pattern: '(a|a)*b',
    long: [
      ['a'.repeat(60), false],
      [`${'a'.repeat(60)}b`, true],
    ],
  },
  {
    pattern: '(a|aa)*c',
    long: [
      ['a'.repeat(60), false],
      [`${'a'.repeat(60)}c`, true],
    ],
  },
  {
    pattern: '(.*a){20}',
    long: [
      [`${'a'.repeat(19)}${'b'.repeat(60)}`, false],
      ['a'.repeat(60), true],
    ],
  },
  {
    pattern: '^(\\w+\\s?)*$',
    long: [
      [`${'a'.repeat(60)}!`, false],
      ['aaa bbb ccc', true],
    ],
  },
  {
    pattern: '(x+x+)+y',
    long: [
      ['x'.repeat(60), false],
      [`${'x'.repeat(60)}y`, true],
    ],
  },
  {
    pattern: '^(a|a?)+$',
    long: [
      [`${'a'.repeat(60)}b`, false],
      ['a'.repeat(60), true],
    ],
  },
  {
    pattern: '^([a-zA-Z0-9]+\\s?)+@',
    long: [
      ['a1 '.repeat(40), false],
      ['a1 b2@', true],
    ],
  },
  {
    pattern: '(\\d+)*\\.',
    long: [
      ['1'.repeat(60), false],
      [`${'1'.repeat(60)}.`, true],
    ],
  },
];

describe('compileUserPattern', () => {
  it.each(CATASTROPHIC)('runs $pattern in linear time and answers like a RegExp', ({ pattern, long }) => {
    const re2 = compileUserPattern(pattern);
    for (const [input, expected] of long) expect(re2.test(input), input).toBe(expected);
    // On inputs short enough for a backtracking engine, both engines agree.
    const js = new RegExp(pattern);
    for (const input of ['', 'a', 'ab', 'aaac', 'xxy', 'a1 b@', '12.', 'aaaa', 'b'.repeat(5)]) {
      expect(re2.test(input), input).toBe(js.test(input));
    }
  });

  it('maps the flags i, m, s and u onto RE2', () => {
    expect(compileUserPattern('falcon').test('FALCON')).toBe(false);
    expect(compileUserPattern('falcon', 'i').test('FALCON')).toBe(true);
    expect(compileUserPattern('^b$').test('a\nb')).toBe(false);
    expect(compileUserPattern('^b$', 'm').test('a\nb')).toBe(true);
    expect(compileUserPattern('a.b').test('a\nb')).toBe(false);
    expect(compileUserPattern('a.b', 's').test('a\nb')).toBe(true);
    expect(compileUserPattern('^.$', 'u').test('😀')).toBe(true);
    expect(compileUserPattern('é', 'iu').test('CAFÉ')).toBe(true);
  });

  it('accepts the JavaScript spellings of Unicode escapes, classes and named groups', () => {
    expect(compileUserPattern('caf\\u00e9').test('café')).toBe(true);
    expect(compileUserPattern('\\u{1F600}', 'u').test('smile 😀')).toBe(true);
    expect(compileUserPattern('^\\p{L}+$', 'u').test('Ærøskøbing')).toBe(true);
    expect(compileUserPattern('^\\p{L}+$', 'u').test('abc1')).toBe(false);
    expect(compileUserPattern('(?<word>fal)con').test('falcon')).toBe(true);
    expect(compileUserPattern('\\d{3}-\\d{4}').test('call 555-0199')).toBe(true);
    // `\\u` is an escaped backslash followed by `u`, not a Unicode escape.
    expect(compileUserPattern('a\\\\u0041').test('a\\u0041')).toBe(true);
    // Inside a class `(?=` is three literal characters, not a lookahead.
    expect(compileUserPattern('[(?=]').test('=')).toBe(true);
    expect(compileUserPattern('[]a]').test(']')).toBe(true);
  });

  it('refuses what RE2 cannot run in linear time, saying what it is', () => {
    const refusal = (pattern: string, flags?: string) => () => compileUserPattern(pattern, flags);
    expect(refusal('(a)\\1')).toThrow(/backreferences/);
    expect(refusal('(?<n>a)\\k<n>')).toThrow(/backreferences/);
    expect(refusal('a(?=b)')).toThrow(/lookahead and lookbehind/);
    expect(refusal('a(?!b)')).toThrow(/lookahead and lookbehind/);
    expect(refusal('(?<=a)b')).toThrow(/lookahead and lookbehind/);
    expect(refusal('(?<!a)b')).toThrow(/lookahead and lookbehind/);
    expect(refusal('(unclosed')).toThrow(/missing closing \)/);
    expect(refusal('x', 'g')).toThrow(/unsupported flag "g"/);
    expect(refusal('x', 'ii')).toThrow(/given twice/);
    expect(refusal('a\\')).toThrow(UserPatternError);
    expect(refusal('\\w{1000}\\w{1000}\\w{1000}')).toThrow(
      new RegExp(`too large once compiled \\(\\d+ > ${USER_PATTERN_MAX_PROGRAM}`),
    );
  });
});

describe('blocked patterns in the policy gate', () => {
  const withPattern = (pattern: string) =>
    compilePolicy(parsePolicy({ blockedPatterns: [{ name: 'p', pattern }], dlp: {} }));
  const chat = (policy: ReturnType<typeof withPattern>, text: string) =>
    evaluatePolicy({ policy, request: { provider: 'demo', model: 'demo', texts: ['-', text] } });

  it.each(CATASTROPHIC)('evaluates $pattern on a chat and a tool call', ({ pattern, long }) => {
    const policy = withPattern(pattern);
    for (const [text, matches] of long) {
      expect(chat(policy, text)).toMatchObject(
        matches ? { decision: 'block', rulesMatched: ['blockedPatterns.p'] } : { decision: 'allow' },
      );
    }
    const [text, matches] = long.find(([, m]) => m)!;
    expect(evaluateToolCall({ policy, call: { tool: 'grep', arguments: text } })).toMatchObject({
      decision: matches ? 'block' : 'allow',
    });
  });

  it('the scenario of the report: (a|a)*b and 40 or 60 a’s answer, with or without a b', () => {
    const policy = withPattern('(a|a)*b');
    expect(chat(policy, 'a'.repeat(40)).decision).toBe('allow');
    expect(chat(policy, 'a'.repeat(60)).decision).toBe('allow');
    expect(chat(policy, `${'a'.repeat(60)}b`).decision).toBe('block');
  });

  it('keeps the document flags (case-insensitive by default)', () => {
    const policy = compilePolicy(
      parsePolicy({
        blockedPatterns: [
          { name: 'ci', pattern: 'falcon' },
          { name: 'cs', pattern: 'Eagle', flags: '' },
          { name: 'lines', pattern: '^secret$', flags: 'm' },
        ],
        dlp: {},
      }),
    );
    expect(chat(policy, 'FALCON').rulesMatched).toEqual(['blockedPatterns.ci']);
    expect(chat(policy, 'eagle').decision).toBe('allow');
    expect(chat(policy, 'Eagle').rulesMatched).toEqual(['blockedPatterns.cs']);
    expect(chat(policy, 'one\nsecret\ntwo').rulesMatched).toEqual(['blockedPatterns.lines']);
  });

  it('refuses a text longer than the scan bound instead of checking part of it', () => {
    const policy = withPattern('falcon');
    const long = 'x'.repeat(BLOCKED_PATTERN_SCAN_CHARS);
    expect(chat(policy, 'falcon').decision).toBe('block');
    // The leading text plus the long one exceed the bound together, though neither does alone.
    expect(chat(policy, long)).toMatchObject({ decision: 'block', rulesMatched: ['blockedPatterns'] });
    expect(chat(policy, long).reason).toMatch(/longer than the 1048576 characters/);
    // Without blocked patterns there is nothing to check, so length alone refuses nothing.
    expect(chat(compilePolicy(parsePolicy({ dlp: {} })), long).decision).toBe('allow');
  });

  it('bounds the compiled size of all patterns together', () => {
    const big = Array.from({ length: 40 }, (_, i) => ({ name: `p${i}`, pattern: '[a-z]{0,300}x' }));
    expect(() => parsePolicy({ blockedPatterns: big.slice(0, 2) })).not.toThrow();
    expect(() => parsePolicy({ blockedPatterns: big })).toThrow(/blockedPatterns: .*RE2 instructions in all/);
  });
});

describe('policy globs', () => {
  /** What `compileGlobs` replaced: an anchored, case-insensitive RegExp, correct but backtracking. */
  const reference = (patterns: string[], value: string) =>
    new RegExp(
      `^(?:${patterns
        .map((p) =>
          p
            .split('')
            .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
            .join(''),
        )
        .join('|')})$`,
      'is',
    ).test(value);

  it('matches whole values, case-insensitively, with * and ?', () => {
    const g = compileGlobs(['gpt-4o*', 'claude-?-sonnet', 'demo']);
    expect(globMatch(g, 'gpt-4o')).toBe(true);
    expect(globMatch(g, 'GPT-4o-mini')).toBe(true);
    expect(globMatch(g, 'my-gpt-4o')).toBe(false);
    expect(globMatch(g, 'claude-3-sonnet')).toBe(true);
    expect(globMatch(g, 'claude-35-sonnet')).toBe(false);
    expect(globMatch(g, 'demo')).toBe(true);
    expect(globMatch(g, 'demo2')).toBe(false);
    expect(globMatch(compileGlobs(['*']), '')).toBe(true);
    expect(globMatch(compileGlobs(['a*b*c']), 'abc')).toBe(true);
    expect(globMatch(compileGlobs(['a*b*c']), 'acb')).toBe(false);
    expect(globMatch(compileGlobs(['*.+(x)']), 'v.+(x)')).toBe(true);
    expect(globMatch(compileGlobs([]), 'anything')).toBe(false);
  });

  it('agrees with the RegExp it replaced on every small case', () => {
    const alphabet = ['a', 'b', '?', '*'];
    const patterns: string[] = [''];
    for (let len = 0; len < 4; len++) {
      for (const p of patterns.filter((x) => x.length === len))
        for (const c of alphabet) patterns.push(p + c);
    }
    const values = ['', 'a', 'b', 'ab', 'ba', 'aab', 'bab', 'abab', 'A', 'aB'];
    for (const p of patterns) {
      for (const v of values) expect(globMatch(compileGlobs([p]), v), `${p} ~ ${v}`).toBe(reference([p], v));
    }
  });

  it('answers star-heavy patterns on long values without backtracking', () => {
    const pattern = `${'*a'.repeat(40)}*b`;
    expect(globMatch(compileGlobs([pattern]), 'a'.repeat(100_000))).toBe(false);
    expect(globMatch(compileGlobs([pattern]), `${'a'.repeat(100_000)}b`)).toBe(true);
    expect(globMatch(compileGlobs(['*?a?*']), 'b'.repeat(100_000))).toBe(false);
  });
});
