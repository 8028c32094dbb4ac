import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type TempRoot, tempRoot } from '../testing/temp-root.js';
import { executeTool } from './execute.js';
import { compileGlob } from './glob-match.js';
import { GREP_SLICE_MS, GREP_TIME_MS } from './search-tools.js';

/**
 * Patterns that backtrack exponentially (or with a high polynomial) on a JavaScript RegExp, with a line
 * each must match and one it must not. On a backtracking engine the 60-character lines below would
 * run for years, so a spec that returns at all proves grep does not backtrack.
 */
const a60 = 'a'.repeat(60);
const CATASTROPHIC: { pattern: string; match: string; miss: string }[] = [
  { pattern: '(a+)+b', match: `${a60}b`, miss: `${a60}!` },
  { pattern: '(a|a)*b', match: `${a60}b`, miss: a60 },
  { pattern: '(a|aa)*c', match: `${a60}c`, miss: a60 },
  { pattern: '(.*a){20}', match: a60, miss: `${'a'.repeat(19)}${'b'.repeat(60)}` },
  { pattern: '^(\\w+\\s?)*$', match: 'aaa bbb ccc', miss: `${a60}!` },
  { pattern: '(x+x+)+y', match: `${'x'.repeat(60)}y`, miss: 'x'.repeat(60) },
  { pattern: '^(a|a?)+$', match: a60, miss: `${a60}b` },
];

describe('grep on RE2', () => {
  let t: TempRoot;
  beforeEach(async () => {
    t = await tempRoot();
  });
  afterEach(() => t.cleanup());
  const call = (tool: string, args: unknown) => executeTool(tool, args, { root: t.root });
  const lines = async (pattern: string, path = 'f.txt') => {
    const outcome = await call('grep', { pattern, path });
    if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
    return (outcome.result as { matches: { text: string }[] }).matches.map((m) => m.text);
  };

  it.each(CATASTROPHIC)(
    'answers $pattern with exactly the matching line',
    async ({ pattern, match, miss }) => {
      await t.file('f.txt', [miss, match, miss].join('\n'));
      expect(await lines(pattern)).toEqual([match]);
    },
  );

  it('the scenario of the report: (a|a)*b over a file of 60 a’s, while other work goes on', async () => {
    await t.file('a.txt', 'a'.repeat(60));
    const order: string[] = [];
    const grep = call('grep', { pattern: '(a|a)*b', path: 'a.txt' }).then((outcome) => {
      order.push('grep');
      return outcome;
    });
    const other = call('list', {}).then(() => order.push('list'));
    await Promise.all([grep, other]);
    expect(await grep).toEqual({ ok: true, result: { matches: [], truncated: false } });
    expect(order).toContain('list');
  });

  it('matches ordinary patterns as a JavaScript RegExp would, Unicode included', async () => {
    await t.file(
      'f.txt',
      ['const café = 1;', 'smile 😀', 'Project Falcon', 'x = 555-0199', '[x]'].join('\n'),
    );
    expect(await lines('caf\\u00e9')).toEqual(['const café = 1;']);
    expect(await lines('\\u{1F600}')).toEqual(['smile 😀']);
    expect(await lines('^smile .$')).toEqual(['smile 😀']);
    expect(await lines('(?<word>Fal)con')).toEqual(['Project Falcon']);
    expect(await lines('(?i)project falcon')).toEqual(['Project Falcon']);
    expect(await lines('project falcon')).toEqual([]);
    expect(await lines('\\d{3}-\\d{4}$')).toEqual(['x = 555-0199']);
    expect(await lines('^\\[x\\]$')).toEqual(['[x]']);
  });

  it('refuses backreferences, lookaround and oversized programs with invalid_regex, saying why', async () => {
    const refused = async (pattern: string, why: RegExp) =>
      expect(await call('grep', { pattern })).toEqual({
        ok: false,
        error: { code: 'invalid_regex', message: expect.stringMatching(why) },
      });
    await refused('(a)\\1', /backreferences/);
    await refused('(?<n>a)\\k<n>', /backreferences/);
    await refused('a(?=b)', /lookahead and lookbehind/);
    await refused('(?<!a)b', /lookahead and lookbehind/);
    await refused('\\w{1000}\\w{1000}\\w{1000}', /too large once compiled/);
    await refused('(', /invalid regular expression: missing closing \)/);
  });

  it('yields to the event loop between slices and stops with truncated once out of time', async () => {
    await t.file('many.txt', Array.from({ length: 50 }, (_, i) => `line ${i} needle`).join('\n'));
    // A clock that moves one slice per reading makes every line end a slice, whatever the machine's speed.
    let now = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (now += GREP_SLICE_MS));
    let turns = 0;
    let done = false;
    const ticking = (async () => {
      while (!done) {
        turns++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      const outcome = await call('grep', { pattern: 'needle', path: 'many.txt' });
      done = true;
      await ticking;
      expect(outcome).toMatchObject({ ok: true, result: { truncated: false } });
      expect((outcome as { result: { matches: unknown[] } }).result.matches).toHaveLength(50);
      expect(turns).toBeGreaterThanOrEqual(50);

      // The same clock, jumping past the time budget, ends the call early with what it found.
      clock.mockImplementation(() => (now += GREP_TIME_MS / 4));
      const late = await call('grep', { pattern: 'needle', path: 'many.txt' });
      expect(late).toMatchObject({ ok: true, result: { truncated: true } });
      expect((late as { result: { matches: unknown[] } }).result.matches.length).toBeLessThan(50);
    } finally {
      done = true;
      clock.mockRestore();
    }
  });
});

describe('glob without a backtracking RegExp', () => {
  let t: TempRoot;
  beforeEach(async () => {
    t = await tempRoot();
  });
  afterEach(() => t.cleanup());

  it.each([
    ['+(a|aa)c', 'c'],
    ['+(a|a)b', 'b'],
    [`${'*a'.repeat(12)}*b`, 'b'],
    ['*(a|aa)*(a|aa)*(a|aa)c', 'c'],
  ])('answers %s over a 200-character name', async (pattern, last) => {
    const long = 'a'.repeat(200);
    await t.file(long, '');
    await t.file(`${long.slice(1)}${last}`, '');
    const outcome = await executeTool('glob', { pattern }, { root: t.root });
    expect(outcome).toEqual({ ok: true, result: { matches: [`${long.slice(1)}${last}`], truncated: false } });
  });

  it.each([
    ['*.ts', 'a.ts', true],
    ['*.ts', '.a.ts', false],
    ['*.ts', 'src/a.ts', false],
    ['**/*.ts', 'a.ts', true],
    ['**/*.ts', 'src/lib/b.ts', true],
    ['**/*.ts', '.hidden/x.ts', false],
    ['.hidden/*', '.hidden/x.ts', true],
    ['src/**', 'src', false],
    ['src/**', 'src/x/y', true],
    ['foo/**/bar', 'foo/bar', true],
    ['foo/**/bar', 'foo/x/y/bar', true],
    ['?.md', 'x.md', true],
    ['?.md', 'xy.md', false],
    ['[ab].txt', 'b.txt', true],
    ['[!ab].txt', 'b.txt', false],
    ['[!ab].txt', 'c.txt', true],
    ['a[]]b', 'a]b', true],
    ['*.{ts,js}', 'x.js', true],
    ['{src,lib}/**/*.js', 'lib/z.js', true],
    ['src/{a,lib/b}.ts', 'src/lib/b.ts', true],
    ['@(a|b).txt', 'b.txt', true],
    ['+(ab).txt', 'abab.txt', true],
    ['+(ab).txt', '.txt', false],
    ['\\*.txt', '*.txt', true],
    ['\\*.txt', 'x.txt', false],
    ['*.TS', 'a.ts', false],
    ['caf\u00e9/*', 'café/x', true],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(compileGlob(pattern).match(path)).toBe(expected);
  });

  it('lets the walk skip directories no match can lie under', () => {
    const g = compileGlob('src/**/*.ts');
    expect(g.match('src', true)).toBe(true);
    expect(g.match('lib', true)).toBe(false);
    expect(compileGlob('**/*.ts').match('.git', true)).toBe(false);
  });

  it('refuses what it cannot run, as invalid_arguments', async () => {
    for (const pattern of ['!(a).txt', '@(a|b', `${'{a,b}'.repeat(9)}`]) {
      expect(await executeTool('glob', { pattern }, { root: t.root })).toMatchObject({
        ok: false,
        error: { code: 'invalid_arguments', message: expect.stringContaining('pattern') },
      });
    }
  });
});
