import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, realpath, rm } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { confine, openRoot, type Root } from '../tools/confine.js';
import { executeTool, type ToolOutcome } from '../tools/execute.js';
import { ToolError } from '../tools/tool-error.js';

/** The run-only tool a Repo Coder session on this device uses; not offered under `mcp`. */
export const WORKTREE_TOOL = 'worktree';
/** The folder of the root that holds the sessions' worktrees; never a repository itself. */
export const WORKTREES_DIR = '.proofpane-coder';
/** The diff a result carries is capped; its digest is over the whole of it. */
export const DIFF_RESULT_BYTES = 512 * 1024;
const GIT_OUTPUT_BYTES = 16 * 1024 * 1024;
const GIT_TIMEOUT_MS = 60_000;

const session = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'a session id');
const repo = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => !p.includes('\0'), 'no NUL');

/** One step of a session's worktree, or one of its tool calls confined to that worktree. */
export const worktreeArgs = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('create'), session, repo }),
  z.strictObject({
    op: z.literal('call'),
    session,
    tool: z.enum(['read', 'write', 'bash']),
    args: z.record(z.string(), z.unknown()),
  }),
  z.strictObject({ op: z.literal('diff'), session, repo }),
  z.strictObject({ op: z.literal('commit'), session, repo, message: z.string().min(1).max(500) }),
  z.strictObject({ op: z.literal('discard'), session, repo }),
]);
export type WorktreeArgs = z.infer<typeof worktreeArgs>;

export interface WorktreeDiff {
  filesChanged: number;
  diff: string;
  diffSha256: string;
  truncated: boolean;
}

/** The disposable branch of a session; the user's own branches are never touched. */
export const sessionBranch = (id: string) => `proofpane/coder/${id}`;

/**
 * git with the repository's hooks, fsmonitor, system and global configuration off, external diff and
 * text conversion drivers unused, no prompt, and an environment that holds none of the daemon's secrets.
 */
function git(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      'git',
      ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', ...args],
      {
        timeout: GIT_TIMEOUT_MS,
        killSignal: 'SIGKILL',
        maxBuffer: GIT_OUTPUT_BYTES,
        encoding: 'utf8',
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          LANG: 'C.UTF-8',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_TERMINAL_PROMPT: '0',
          GIT_AUTHOR_NAME: 'Proofpane Coder',
          GIT_AUTHOR_EMAIL: 'coder@proofpane.invalid',
          GIT_COMMITTER_NAME: 'Proofpane Coder',
          GIT_COMMITTER_EMAIL: 'coder@proofpane.invalid',
          ...env,
        },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

const failed = (what: string, stderr: string) =>
  new ToolError('io_error', `${what} failed: ${stderr.trim().slice(0, 300)}`);

/**
 * Repo Coder on a paired device (docs/coder.md): a `git worktree` of a repository under the daemon's root,
 * at `<root>/.proofpane-coder/<session>` on the branch `proofpane/coder/<session>`, and the session's
 * `read`, `write` and `bash` confined to that worktree (symlinks resolved against it). The repository must
 * be a git top level strictly inside the root. Later steps name the worktree's git directory explicitly, so
 * a `.git` file the session rewrote cannot point git elsewhere.
 */
export function worktreeTool(root: Root) {
  const trees = new Map<string, Promise<Root>>();
  const treeDir = (id: string) => join(root.real, WORKTREES_DIR, id);

  const repoDir = async (given: string) => {
    const confined = await confine(root, given);
    const rel = relative(root.real, confined.real);
    if (rel === '')
      throw new ToolError('invalid_arguments', `${given}: the root holds the repository, it is not one`);
    if (rel.split(sep)[0] === WORKTREES_DIR)
      throw new ToolError('invalid_arguments', `${given}: a session worktree is not a repository`);
    const top = await git(['-C', confined.real, 'rev-parse', '--show-toplevel']);
    if (top.code !== 0 || resolve(top.stdout.trim()) !== confined.real)
      throw new ToolError('invalid_arguments', `${given}: not the top level of a git repository`);
    const head = await git(['-C', confined.real, 'rev-parse', '--verify', 'HEAD']);
    if (head.code !== 0)
      throw new ToolError('invalid_arguments', `${given}: the repository has no commit yet`);
    return confined.real;
  };

  /** The worktree's own git directory, from the repository (never from the worktree's `.git` file). */
  const gitDirOf = async (repoReal: string, id: string) => {
    const common = await git(['-C', repoReal, 'rev-parse', '--path-format=absolute', '--git-common-dir']);
    if (common.code !== 0) throw failed('git rev-parse', common.stderr);
    return join(common.stdout.trim(), 'worktrees', id);
  };

  const inTree = async (repoReal: string, id: string, args: string[]) =>
    git(args, { GIT_DIR: await gitDirOf(repoReal, id), GIT_WORK_TREE: treeDir(id) });

  const treeRoot = (id: string) => {
    let opened = trees.get(id);
    if (!opened) {
      opened = openRoot(treeDir(id), root.sandbox ? { sandbox: root.sandbox } : {});
      opened.catch(() => trees.delete(id));
      trees.set(id, opened);
    }
    return opened;
  };

  const diff = async (repoReal: string, id: string): Promise<WorktreeDiff> => {
    const staged = await inTree(repoReal, id, ['add', '--all']);
    if (staged.code !== 0) throw failed('git add', staged.stderr);
    const names = await inTree(repoReal, id, ['diff', '--cached', '--name-only', '-z']);
    const text = await inTree(repoReal, id, [
      'diff',
      '--cached',
      '--no-ext-diff',
      '--no-textconv',
      '--no-color',
      '--binary',
    ]);
    if (names.code !== 0 || text.code !== 0) throw failed('git diff', text.stderr || names.stderr);
    return {
      filesChanged: names.stdout.split('\0').filter(Boolean).length,
      diff: text.stdout.length > DIFF_RESULT_BYTES ? text.stdout.slice(0, DIFF_RESULT_BYTES) : text.stdout,
      diffSha256: createHash('sha256').update(text.stdout).digest('hex'),
      truncated: text.stdout.length > DIFF_RESULT_BYTES,
    };
  };

  const removeTree = async (repoReal: string, id: string) => {
    trees.delete(id);
    await git(['-C', repoReal, 'worktree', 'remove', '--force', treeDir(id)]);
    await rm(treeDir(id), { recursive: true, force: true });
    await git(['-C', repoReal, 'worktree', 'prune']);
  };

  return async (raw: unknown, signal?: AbortSignal): Promise<ToolOutcome> => {
    const parsed = worktreeArgs.safeParse(raw ?? {});
    if (!parsed.success)
      return {
        ok: false,
        error: {
          code: 'invalid_arguments',
          message: `worktree: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ')}`,
        },
      };
    const args = parsed.data;
    try {
      if (args.op === 'call') {
        const tree = await treeRoot(args.session).catch(() => {
          throw new ToolError('not_found', `no worktree for session ${args.session} on this device`);
        });
        return await executeTool(args.tool, args.args, { root: tree, ...(signal ? { signal } : {}) });
      }
      const repoReal = await repoDir(args.repo);
      if (args.op === 'create') {
        await mkdir(join(root.real, WORKTREES_DIR), { recursive: true, mode: 0o700 });
        const dir = treeDir(args.session);
        const added = await git([
          '-C',
          repoReal,
          'worktree',
          'add',
          '--quiet',
          '-b',
          sessionBranch(args.session),
          dir,
          'HEAD',
        ]);
        if (added.code !== 0) throw failed('git worktree add', added.stderr);
        // The admin folder git chose must be the one later steps name; otherwise undo and refuse.
        const pointer = (await readFile(join(dir, '.git'), 'utf8')).replace(/^gitdir:\s*/, '').trim();
        const expected = await gitDirOf(repoReal, args.session);
        if (
          (await realpath(pointer).catch(() => pointer)) !== (await realpath(expected).catch(() => expected))
        ) {
          await removeTree(repoReal, args.session);
          await git(['-C', repoReal, 'branch', '-D', '--quiet', sessionBranch(args.session)]);
          throw new ToolError(
            'io_error',
            `a worktree named ${args.session} exists already in that repository`,
          );
        }
        return {
          ok: true,
          result: { branch: sessionBranch(args.session), tree: `${WORKTREES_DIR}/${args.session}` },
        };
      }
      if (args.op === 'diff') return { ok: true, result: await diff(repoReal, args.session) };
      if (args.op === 'commit') {
        const change = await diff(repoReal, args.session);
        let commit: string | undefined;
        if (change.filesChanged > 0) {
          const done = await inTree(repoReal, args.session, [
            'commit',
            '--quiet',
            '--no-verify',
            '-m',
            args.message,
          ]);
          if (done.code !== 0) throw failed('git commit', done.stderr);
          commit = (await inTree(repoReal, args.session, ['rev-parse', 'HEAD'])).stdout.trim();
        }
        await removeTree(repoReal, args.session);
        return { ok: true, result: commit ? { commit } : {} };
      }
      await removeTree(repoReal, args.session);
      await git(['-C', repoReal, 'branch', '-D', '--quiet', sessionBranch(args.session)]);
      return { ok: true, result: { discarded: true } };
    } catch (error) {
      if (error instanceof ToolError)
        return { ok: false, error: { code: error.code, message: error.message } };
      return {
        ok: false,
        error: { code: 'io_error', message: error instanceof Error ? error.message : String(error) },
      };
    }
  };
}
