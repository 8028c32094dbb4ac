import { createHash } from 'node:crypto';
import { mkdir, realpath, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CoderError, coderBranch } from '@proofpane/commands';
import { inSandbox, sandboxedGit } from './sandboxed-git.js';

/** The folder of an org's workspace that holds its sessions' worktrees; never a repository itself. */
export const WORKTREES_DIR = '.proofpane-coder';
const ORG_DIR_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const SESSION_ID = /^[A-Za-z0-9_-]{1,100}$/;
/** The diff the session view shows is capped; its digest is over the whole of it. */
export const DIFF_VIEW_BYTES = 512 * 1024;

export interface SessionTree {
  mode: 'repo' | 'greenfield';
  org: string;
  sessionId: string;
  /** The repository relative to the org's workspace (repo mode). */
  repo?: string | undefined;
}

const check = (pattern: RegExp, value: string, what: string) => {
  if (!pattern.test(value)) throw new Error(`${what} ${JSON.stringify(value)} cannot name a folder`);
  return value;
};

/**
 * Where sessions work. Repo mode: a `git worktree` of a repository in the org's workspace, under
 * `<workspace>/.proofpane-coder/<session>` on the branch `proofpane/coder/<session>`. Greenfield: a
 * folder of its own under `<dataDir>/greenfield/<org>/<session>`. Every git command runs sandboxed
 * (`sandboxed-git.ts`), and every path is derived from ids or checked to stay inside the org's folder.
 */
export class CoderTrees {
  constructor(private readonly options: { workspacesDir: string; dataDir: string }) {}

  orgDir(org: string): string {
    return join(this.options.workspacesDir, check(ORG_DIR_NAME, org, 'org id'));
  }

  /** The folder the session's tools see as their root. */
  treeDir(tree: SessionTree): string {
    const id = check(SESSION_ID, tree.sessionId, 'session id');
    return tree.mode === 'repo'
      ? join(this.orgDir(tree.org), WORKTREES_DIR, id)
      : join(this.options.dataDir, 'greenfield', check(ORG_DIR_NAME, tree.org, 'org id'), id);
  }

  artifactPath(options: { org: string; sessionId: string }): string {
    return join(
      this.options.dataDir,
      'greenfield-artifacts',
      check(ORG_DIR_NAME, options.org, 'org id'),
      `${check(SESSION_ID, options.sessionId, 'session id')}.tar.gz`,
    );
  }

  /**
   * The repository as a path relative to the org's workspace, symlinks resolved: it must stay inside the
   * workspace, not be the workspace itself nor a session's worktree, and be a git repository's top level.
   */
  async resolveRepo(options: { org: string; repo: string }): Promise<string> {
    const invalid = (why: string) => new CoderError('coder_repo_invalid', `${options.repo}: ${why}`);
    const orgDir = this.orgDir(options.org);
    await mkdir(orgDir, { recursive: true, mode: 0o700 });
    const root = await realpath(orgDir);
    let real: string;
    try {
      real = await realpath(resolve(root, options.repo));
    } catch {
      throw invalid('no such folder in the workspace');
    }
    const rel = relative(root, real);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw invalid('outside the workspace');
    if (rel.split(sep)[0] === WORKTREES_DIR) throw invalid('a session worktree is not a repository');
    const top = await sandboxedGit({
      dir: root,
      args: ['-C', inSandbox(rel), 'rev-parse', '--show-toplevel'],
    });
    if (top.code !== 0 || top.stdout.trim() !== inSandbox(rel))
      throw invalid('not the top level of a git repository');
    const head = await sandboxedGit({
      dir: root,
      args: ['-C', inSandbox(rel), 'rev-parse', '--verify', 'HEAD'],
    });
    if (head.code !== 0) throw invalid('the repository has no commit yet');
    return rel;
  }

  /** Makes the session's tree: a worktree on a new branch, or an empty folder with a git index of its own. */
  async create(tree: SessionTree): Promise<void> {
    const dir = this.treeDir(tree);
    if (tree.mode === 'repo') {
      const orgDir = this.orgDir(tree.org);
      await mkdir(join(orgDir, WORKTREES_DIR), { recursive: true, mode: 0o700 });
      const added = await sandboxedGit({
        dir: orgDir,
        args: [
          '-C',
          inSandbox(tree.repo!),
          'worktree',
          'add',
          '--quiet',
          '-b',
          coderBranch(tree.sessionId),
          inSandbox(`${WORKTREES_DIR}/${tree.sessionId}`),
          'HEAD',
        ],
      });
      if (added.code !== 0) throw new Error(`git worktree add failed: ${added.stderr.slice(0, 300)}`);
      return;
    }
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // An empty first commit, so the project's diff is everything the session wrote.
    for (const args of [
      ['init', '--quiet', '-b', 'main'],
      ['commit', '--quiet', '--allow-empty', '-m', 'empty project'],
    ]) {
      const done = await sandboxedGit({ dir, args: ['-C', inSandbox(''), ...args] });
      if (done.code !== 0) throw new Error(`git ${args[0]} failed: ${done.stderr.slice(0, 300)}`);
    }
  }

  /** git as seen from the session's tree: the org's workspace for a worktree, the folder itself otherwise. */
  private git(tree: SessionTree, args: string[]) {
    return tree.mode === 'repo'
      ? sandboxedGit({
          dir: this.orgDir(tree.org),
          args: ['-C', inSandbox(`${WORKTREES_DIR}/${tree.sessionId}`), ...args],
        })
      : sandboxedGit({ dir: this.treeDir(tree), args: ['-C', inSandbox(''), ...args] });
  }

  /** The change against the tree's first commit: files changed, the diff (capped for viewing) and its digest. */
  async diff(
    tree: SessionTree,
  ): Promise<{ filesChanged: number; diff: string; diffSha256: string; truncated: boolean }> {
    const staged = await this.git(tree, ['add', '--all']);
    if (staged.code !== 0) throw new Error(`git add failed: ${staged.stderr.slice(0, 300)}`);
    const names = await this.git(tree, ['diff', '--cached', '--name-only', '-z']);
    const text = await this.git(tree, [
      'diff',
      '--cached',
      '--no-ext-diff',
      '--no-textconv',
      '--no-color',
      '--binary',
    ]);
    const diff = text.stdout;
    return {
      filesChanged: names.stdout.split('\0').filter(Boolean).length,
      diff: diff.length > DIFF_VIEW_BYTES ? diff.slice(0, DIFF_VIEW_BYTES) : diff,
      diffSha256: createHash('sha256').update(diff).digest('hex'),
      truncated: diff.length > DIFF_VIEW_BYTES,
    };
  }

  /** Commits the session's change on its branch and removes the worktree; the branch stays for a merge. */
  async commit(tree: SessionTree & { message: string }): Promise<string | undefined> {
    const { filesChanged } = await this.diff(tree);
    let sha: string | undefined;
    if (filesChanged > 0) {
      const done = await this.git(tree, ['commit', '--quiet', '--no-verify', '-m', tree.message]);
      if (done.code !== 0) throw new Error(`git commit failed: ${done.stderr.slice(0, 300)}`);
      sha = (await this.git(tree, ['rev-parse', 'HEAD'])).stdout.trim();
    }
    await this.removeWorktree(tree);
    return sha;
  }

  private async removeWorktree(tree: SessionTree) {
    const orgDir = this.orgDir(tree.org);
    await sandboxedGit({
      dir: orgDir,
      args: [
        '-C',
        inSandbox(tree.repo!),
        'worktree',
        'remove',
        '--force',
        inSandbox(`${WORKTREES_DIR}/${tree.sessionId}`),
      ],
    });
    await rm(this.treeDir(tree), { recursive: true, force: true });
    await sandboxedGit({ dir: orgDir, args: ['-C', inSandbox(tree.repo!), 'worktree', 'prune'] });
  }

  /** Removes the session's tree, and in repo mode its branch: nothing of the session is left. */
  async discard(tree: SessionTree): Promise<void> {
    if (tree.mode === 'greenfield') {
      await rm(this.treeDir(tree), { recursive: true, force: true });
      return;
    }
    await this.removeWorktree(tree);
    await sandboxedGit({
      dir: this.orgDir(tree.org),
      args: ['-C', inSandbox(tree.repo!), 'branch', '-D', '--quiet', coderBranch(tree.sessionId)],
    });
  }
}
