import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempRoot, tempRoot } from '../testing/temp-root.js';
import { confine } from './confine.js';
import { ToolError } from './tool-error.js';

describe('confine', () => {
  let t: TempRoot;
  beforeEach(async () => {
    t = await tempRoot();
  });
  afterEach(() => t.cleanup());

  const refused = async (path: string) => {
    const err = await confine(t.root, path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).code).toBe('path_outside_root');
    return err as ToolError;
  };

  it('accepts relative, absolute-inside and not-yet-existing paths', async () => {
    await t.file('a/b.txt', 'x');
    expect((await confine(t.root, 'a/b.txt')).shown).toBe('a/b.txt');
    expect((await confine(t.root, join(t.dir, 'a', 'b.txt'))).shown).toBe('a/b.txt');
    expect((await confine(t.root, 'a/../a/new/deep.txt')).shown).toBe('a/new/deep.txt');
    expect((await confine(t.root, '.')).shown).toBe('.');
  });

  it('refuses .. that climbs out and names the path in the message', async () => {
    const err = await refused('../outside/secret.txt');
    expect(err.message).toContain('../outside/secret.txt');
    expect(err.message).toContain('outside the root');
    await refused('a/../../x');
  });

  it('refuses absolute paths outside the root', async () => {
    await refused(join(t.outside, 'secret.txt'));
    await refused('/etc/passwd');
  });

  it('refuses symlinks that lead out, to files and through directories, existing or not', async () => {
    await t.link('leak.txt', join(t.outside, 'secret.txt'));
    await t.link('out-dir', t.outside);
    await refused('leak.txt');
    await refused('out-dir/secret.txt');
    await refused('out-dir/new-file.txt');
    await refused('out-dir/new/deeper/file.txt');
  });

  it('refuses a dangling symlink rather than creating its target', async () => {
    await t.link('dangling', join(t.outside, 'created-by-write.txt'));
    await refused('dangling');
  });

  it('follows symlinks that stay inside the root', async () => {
    await t.file('real/data.txt', 'x');
    await t.link('alias', join(t.dir, 'real'));
    expect((await confine(t.root, 'alias/data.txt')).shown).toBe('real/data.txt');
  });

  it('rejects NUL bytes as invalid arguments', async () => {
    await expect(confine(t.root, 'a\0b')).rejects.toMatchObject({ code: 'invalid_arguments' });
  });
});
