import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempRoot, tempRoot } from '../testing/temp-root.js';
import { executeTool } from './execute.js';
import { LIMITS } from './limits.js';

describe('file tools', () => {
  let t: TempRoot;
  beforeEach(async () => {
    t = await tempRoot();
  });
  afterEach(() => t.cleanup());
  const call = (tool: string, args: unknown) => executeTool(tool, args, { root: t.root });

  it('reads a file', async () => {
    await t.file('notes.md', 'hello\nworld\n');
    expect(await call('read', { path: 'notes.md' })).toEqual({
      ok: true,
      result: { path: 'notes.md', content: 'hello\nworld\n', size: 12, truncated: false },
    });
  });

  it('reads only the first bytes of a huge file and says so', async () => {
    await t.file('huge.log', 'x'.repeat(LIMITS.readBytes * 4));
    const outcome = await call('read', { path: 'huge.log' });
    expect(outcome.ok).toBe(true);
    const result = (outcome as { result: { content: string; size: number; truncated: boolean } }).result;
    expect(result.content.length).toBe(LIMITS.readBytes);
    expect(result.size).toBe(LIMITS.readBytes * 4);
    expect(result.truncated).toBe(true);
  });

  it('reports a missing file and a directory with stable codes', async () => {
    expect(await call('read', { path: 'nope.txt' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    await t.file('dir/x', '');
    expect(await call('read', { path: 'dir' })).toMatchObject({ ok: false, error: { code: 'not_a_file' } });
  });

  it('reads below nested directories and through symlinks that stay inside, naming the real path', async () => {
    await t.file('a/b/c.txt', 'deep');
    await t.link('alias.txt', join(t.dir, 'a', 'b', 'c.txt'));
    await t.link('a/dir-alias', join(t.dir, 'a', 'b'));
    expect(await call('read', { path: 'a/b/c.txt' })).toMatchObject({
      ok: true,
      result: { path: 'a/b/c.txt', content: 'deep' },
    });
    expect(await call('read', { path: './a//b/../b/c.txt' })).toMatchObject({
      ok: true,
      result: { path: 'a/b/c.txt', content: 'deep' },
    });
    for (const path of ['alias.txt', 'a/dir-alias/c.txt']) {
      expect(await call('read', { path })).toMatchObject({
        ok: true,
        result: { path: 'a/b/c.txt', content: 'deep' },
      });
    }
    expect(await call('read', { path: 'a/missing/c.txt' })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'a/missing/c.txt: no such file or directory' },
    });
  });

  it('writes new files with their parent directories and overwrites existing ones', async () => {
    expect(await call('write', { path: 'src/new/file.ts', content: 'export {};\n' })).toEqual({
      ok: true,
      result: { path: 'src/new/file.ts', bytes: 11, created: true },
    });
    expect(await call('write', { path: 'src/new/file.ts', content: 'x' })).toMatchObject({
      ok: true,
      result: { created: false },
    });
    expect(await readFile(join(t.dir, 'src/new/file.ts'), 'utf8')).toBe('x');
  });

  it('edits when the old text occurs exactly once', async () => {
    await t.file('a.txt', 'alpha beta gamma $1');
    expect(await call('edit', { path: 'a.txt', old: 'beta', new: '$&-$1' })).toEqual({
      ok: true,
      result: { path: 'a.txt', replacements: 1 },
    });
    expect(await readFile(join(t.dir, 'a.txt'), 'utf8')).toBe('alpha $&-$1 gamma $1');
  });

  it('refuses an edit with no match or more than one match, leaving the file alone', async () => {
    await t.file('a.txt', 'aaa b b');
    expect(await call('edit', { path: 'a.txt', old: 'zzz', new: 'y' })).toMatchObject({
      ok: false,
      error: { code: 'edit_no_match' },
    });
    expect(await call('edit', { path: 'a.txt', old: 'b', new: 'y' })).toMatchObject({
      ok: false,
      error: { code: 'edit_ambiguous' },
    });
    expect(await call('edit', { path: 'a.txt', old: 'aa', new: 'y' })).toMatchObject({
      ok: false,
      error: { code: 'edit_ambiguous' },
    });
    expect(await readFile(join(t.dir, 'a.txt'), 'utf8')).toBe('aaa b b');
  });

  it('lists a directory sorted, with types and file sizes', async () => {
    await t.file('b.txt', '12345');
    await t.file('a/inner.txt', '');
    await t.link('c-link', join(t.dir, 'b.txt'));
    expect(await call('list', {})).toEqual({
      ok: true,
      result: {
        path: '.',
        entries: [
          { name: 'a', type: 'dir' },
          { name: 'b.txt', type: 'file', size: 5 },
          { name: 'c-link', type: 'symlink' },
        ],
        truncated: false,
      },
    });
    expect(await call('list', { path: 'b.txt' })).toMatchObject({
      ok: false,
      error: { code: 'not_a_directory' },
    });
  });

  it('validates arguments against the schema and rejects unknown tools', async () => {
    expect(await call('read', {})).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    expect(await call('read', { path: 'a', extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments' },
    });
    expect(await call('write', { path: 'a' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_arguments', message: expect.stringContaining('content') },
    });
    expect(await call('rm', { path: 'a' })).toMatchObject({ ok: false, error: { code: 'unknown_tool' } });
  });

  describe('escape attempts fail safe', () => {
    it('read, write, edit and list refuse .. and absolute paths outside', async () => {
      const secret = join(t.outside, 'secret.txt');
      for (const [tool, args] of [
        ['read', { path: '../outside/secret.txt' }],
        ['read', { path: secret }],
        ['write', { path: '../outside/secret.txt', content: 'pwned' }],
        ['write', { path: join(t.outside, 'new.txt'), content: 'pwned' }],
        ['edit', { path: secret, old: 'top', new: 'pwned' }],
        ['list', { path: '..' }],
        ['list', { path: t.outside }],
      ] as const) {
        expect(await call(tool, args)).toMatchObject({ ok: false, error: { code: 'path_outside_root' } });
      }
      expect(await readFile(secret, 'utf8')).toBe('top secret\n');
      await expect(stat(join(t.outside, 'new.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('nothing is read or written through a symlink that leads out', async () => {
      await t.link('leak.txt', join(t.outside, 'secret.txt'));
      await t.link('out', t.outside);
      await t.link('dangling', join(t.outside, 'planted.txt'));
      expect(await call('read', { path: 'leak.txt' })).toMatchObject({
        ok: false,
        error: { code: 'path_outside_root' },
      });
      await t.link('a/b/leak.txt', join(t.outside, 'secret.txt'));
      for (const path of ['out/secret.txt', 'a/b/leak.txt']) {
        expect(await call('read', { path })).toMatchObject({
          ok: false,
          error: { code: 'path_outside_root' },
        });
      }
      expect(await call('write', { path: 'leak.txt', content: 'pwned' })).toMatchObject({
        ok: false,
        error: { code: 'path_outside_root' },
      });
      expect(await call('write', { path: 'out/planted.txt', content: 'pwned' })).toMatchObject({
        ok: false,
        error: { code: 'path_outside_root' },
      });
      expect(await call('write', { path: 'dangling', content: 'pwned' })).toMatchObject({
        ok: false,
        error: { code: 'path_outside_root' },
      });
      expect(await call('list', { path: 'out' })).toMatchObject({
        ok: false,
        error: { code: 'path_outside_root' },
      });
      expect(await readFile(join(t.outside, 'secret.txt'), 'utf8')).toBe('top secret\n');
      await expect(stat(join(t.outside, 'planted.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
});
