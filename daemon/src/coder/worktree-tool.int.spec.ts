import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TempRoot, tempRoot } from '../testing/temp-root.js';
import { type WorktreeDiff, worktreeTool } from './worktree-tool.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Spec', '-c', 'user.email=spec@example.test', ...args], {
    cwd,
    encoding: 'utf8',
  });

function makeRepo(dir: string) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  git(dir, 'init', '--quiet', '-b', 'main');
  git(dir, 'add', '.');
  git(dir, 'commit', '--quiet', '-m', 'first');
}

describe('the worktree tool', () => {
  let t: TempRoot;
  let tool: ReturnType<typeof worktreeTool>;
  beforeEach(async () => {
    t = await tempRoot();
    makeRepo(join(t.dir, 'app'));
    makeRepo(join(t.outside, 'elsewhere'));
    tool = worktreeTool(t.root);
  });
  afterEach(() => t.cleanup());

  const errorOf = async (args: unknown) => {
    const outcome = await tool(args);
    expect(outcome.ok).toBe(false);
    return (outcome as { error: { code: string; message: string } }).error;
  };

  it('refuses repositories outside the root, the root itself, a worktree, and malformed steps', async () => {
    expect((await errorOf({ op: 'create', session: 's1', repo: join(t.outside, 'elsewhere') })).code).toBe(
      'path_outside_root',
    );
    symlinkSync(join(t.outside, 'elsewhere'), join(t.dir, 'linked'));
    expect((await errorOf({ op: 'create', session: 's1', repo: 'linked' })).code).toBe('path_outside_root');
    git(t.dir, 'init', '--quiet', '-b', 'main');
    git(t.dir, 'commit', '--quiet', '--allow-empty', '-m', 'the root is a repository too');
    expect((await errorOf({ op: 'create', session: 's1', repo: '.' })).code).toBe('invalid_arguments');
    expect((await errorOf({ op: 'create', session: '../x', repo: 'app' })).code).toBe('invalid_arguments');
    expect((await errorOf({ op: 'create', session: 's1', repo: 'app', extra: 1 })).code).toBe(
      'invalid_arguments',
    );
    expect((await errorOf({ op: 'call', session: 's1', tool: 'edit', args: {} })).code).toBe(
      'invalid_arguments',
    );
    expect(await tool({ op: 'create', session: 's1', repo: 'app' })).toMatchObject({ ok: true });
    expect((await errorOf({ op: 'create', session: 's2', repo: '.proofpane-coder/s1' })).code).toBe(
      'invalid_arguments',
    );
    // Nothing was made for the refused ones.
    expect(git(join(t.outside, 'elsewhere'), 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it("confines the session's calls to its worktree, and a rewritten .git file does not redirect git", async () => {
    expect(await tool({ op: 'create', session: 's1', repo: 'app' })).toMatchObject({
      ok: true,
      result: { branch: 'proofpane/coder/s1', tree: '.proofpane-coder/s1' },
    });
    const tree = join(t.dir, '.proofpane-coder', 's1');
    const call = (tool_: string, args: Record<string, unknown>) =>
      tool({ op: 'call', session: 's1', tool: tool_, args });
    expect(await call('read', { path: '../../app/a.txt' })).toMatchObject({
      ok: false,
      error: { code: 'path_outside_root' },
    });
    symlinkSync(join(t.dir, 'app', 'a.txt'), join(tree, 'link.txt'));
    expect(await call('write', { path: 'link.txt', content: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'path_outside_root' },
    });
    expect(await call('bash', { command: 'pwd' })).toMatchObject({
      ok: true,
      result: { stdout: expect.stringContaining('.proofpane-coder/s1') },
    });
    expect(await call('write', { path: 'a.txt', content: 'changed\n' })).toMatchObject({ ok: true });
    // The session points its .git file at another repository: the steps still use the worktree's own.
    writeFileSync(join(tree, '.git'), `gitdir: ${join(t.outside, 'elsewhere', '.git')}\n`);
    const diff = await tool({ op: 'diff', session: 's1', repo: 'app' });
    expect(diff.ok).toBe(true);
    const change = (diff as { result: WorktreeDiff }).result;
    expect(change.diff).toContain('+changed');
    expect(git(join(t.outside, 'elsewhere'), 'status', '--porcelain')).toBe('');

    const committed = await tool({ op: 'commit', session: 's1', repo: 'app', message: 'the change' });
    const commit = (committed as { result: { commit: string } }).result.commit;
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect(git(join(t.dir, 'app'), 'show', `${commit}:a.txt`)).toBe('changed\n');
    expect(readFileSync(join(t.dir, 'app', 'a.txt'), 'utf8')).toBe('a\n');
    expect(existsSync(tree)).toBe(false);
    expect(await call('read', { path: 'a.txt' })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    expect(await tool({ op: 'create', session: 's2', repo: 'app' })).toMatchObject({ ok: true });
    expect(await tool({ op: 'discard', session: 's2', repo: 'app' })).toMatchObject({ ok: true });
    expect(git(join(t.dir, 'app'), 'branch', '--list', 'proofpane/coder/s2')).toBe('');
    expect(existsSync(join(t.dir, '.proofpane-coder', 's2'))).toBe(false);
  });
});
