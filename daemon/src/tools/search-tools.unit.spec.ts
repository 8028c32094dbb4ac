import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempRoot, tempRoot } from '../testing/temp-root.js';
import { executeTool } from './execute.js';
import { LIMITS } from './limits.js';

describe('glob and grep', () => {
  let t: TempRoot;
  beforeEach(async () => {
    t = await tempRoot();
    await t.file('src/a.ts', 'const a = 1;\nexport const FLAG = a;\n');
    await t.file('src/lib/b.ts', 'export function b() {\n  return "needle";\n}\n');
    await t.file('src/lib/c.js', 'needle\n');
    await t.file('README.md', '# needle in a haystack\r\n');
    await t.file('.hidden/x.ts', 'needle');
    await t.file('node_modules/dep/index.ts', 'needle');
  });
  afterEach(() => t.cleanup());
  const call = (tool: string, args: unknown) => executeTool(tool, args, { root: t.root });

  it('glob matches relative paths, sorted, skipping dot directories unless named', async () => {
    expect(await call('glob', { pattern: 'src/**/*.ts' })).toEqual({
      ok: true,
      result: { matches: ['src/a.ts', 'src/lib/b.ts'], truncated: false },
    });
    expect(await call('glob', { pattern: '*.md' })).toMatchObject({ result: { matches: ['README.md'] } });
    expect(await call('glob', { pattern: '**/*.ts' })).toMatchObject({
      result: { matches: ['node_modules/dep/index.ts', 'src/a.ts', 'src/lib/b.ts'] },
    });
    expect(await call('glob', { pattern: '.hidden/*' })).toMatchObject({
      result: { matches: ['.hidden/x.ts'] },
    });
    expect(await call('glob', { pattern: join(t.dir, 'src', '*.ts') })).toMatchObject({
      result: { matches: ['src/a.ts'] },
    });
  });

  it('glob refuses patterns that climb out or start outside the root', async () => {
    expect(await call('glob', { pattern: '../outside/*' })).toMatchObject({
      ok: false,
      error: { code: 'path_outside_root' },
    });
    expect(await call('glob', { pattern: join(t.outside, '*') })).toMatchObject({
      ok: false,
      error: { code: 'path_outside_root' },
    });
  });

  it('glob does not walk through a symlinked directory that leads out', async () => {
    await t.link('src/escape', t.outside);
    const outcome = await call('glob', { pattern: '**/*.txt' });
    expect(outcome).toEqual({ ok: true, result: { matches: [], truncated: false } });
  });

  it('glob caps the number of matches', async () => {
    await Promise.all(Array.from({ length: LIMITS.globMatches + 5 }, (_, i) => t.file(`many/f${i}.txt`, '')));
    const outcome = await call('glob', { pattern: 'many/*.txt' });
    expect(outcome).toMatchObject({ ok: true, result: { truncated: true } });
    expect((outcome as { result: { matches: string[] } }).result.matches).toHaveLength(LIMITS.globMatches);
  });

  it('grep finds regex matches with line numbers, files before subdirectories, skipping node_modules', async () => {
    expect(await call('grep', { pattern: 'need+le' })).toEqual({
      ok: true,
      result: {
        matches: [
          { path: 'README.md', line: 1, text: '# needle in a haystack' },
          { path: '.hidden/x.ts', line: 1, text: 'needle' },
          { path: 'src/lib/b.ts', line: 2, text: '  return "needle";' },
          { path: 'src/lib/c.js', line: 1, text: 'needle' },
        ],
        truncated: false,
      },
    });
    expect(await call('grep', { pattern: '^export', path: 'src/a.ts' })).toMatchObject({
      result: { matches: [{ path: 'src/a.ts', line: 2 }] },
    });
  });

  it('grep rejects an invalid regex and paths outside the root', async () => {
    expect(await call('grep', { pattern: '(' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_regex' },
    });
    expect(await call('grep', { pattern: 'secret', path: '..' })).toMatchObject({
      ok: false,
      error: { code: 'path_outside_root' },
    });
    await t.link('leak', join(t.outside, 'secret.txt'));
    expect(await call('grep', { pattern: 'secret', path: 'leak' })).toMatchObject({
      ok: false,
      error: { code: 'path_outside_root' },
    });
    expect(await call('grep', { pattern: 'top secret' })).toEqual({
      ok: true,
      result: { matches: [], truncated: false },
    });
  });

  it('grep caps matches and the length of each line', async () => {
    await t.file('big.txt', `${'needle '.repeat(100)}\n`.repeat(LIMITS.grepMatches + 10));
    const outcome = await call('grep', { pattern: 'needle', path: 'big.txt' });
    const result = (outcome as { result: { matches: { text: string }[]; truncated: boolean } }).result;
    expect(result.truncated).toBe(true);
    expect(result.matches).toHaveLength(LIMITS.grepMatches);
    expect(result.matches[0]!.text.length).toBe(LIMITS.grepLineChars);
  });
});
