import { spawn } from 'node:child_process';
import { CoderError } from '@proofpane/commands';
import { SANDBOX_WORKSPACE, sandboxedProgram } from '@proofpane/daemon';
import { coderRunner, runInContainer } from './docker-runner.js';

export interface GitResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const OUTPUT_CAP = 4 * 1024 * 1024;

/**
 * `git` inside the org's workspace sandbox, never in the server's own view of the disk: a repository an
 * org can write to can also hold hooks, filter drivers and an fsmonitor in its config, each of which git
 * would run. In the sandbox they see the org's folder and nothing else; hooks and fsmonitor are off too.
 * Paths given to git are as the sandbox sees them, under `/workspace`. Without bubblewrap, git runs in a
 * Docker container without network when an engine answers (decision 0048), else not at all.
 */
export async function sandboxedGit(options: {
  /** The folder bound read-write at /workspace. */
  dir: string;
  args: string[];
  timeoutMs?: number;
}): Promise<GitResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const gitArgs = [
    '-c',
    'core.hooksPath=/dev/null',
    '-c',
    'core.fsmonitor=false',
    '-c',
    'user.name=Proofpane Coder',
    '-c',
    'user.email=coder@proofpane.invalid',
    '-c',
    `safe.directory=*`,
    ...options.args,
  ];
  const runner = await coderRunner();
  if (runner === 'docker') {
    // No bubblewrap here but an engine answers: git runs in a container that sees the same folder.
    const ran = await runInContainer({
      workspace: options.dir,
      argv: ['git', ...gitArgs],
      timeoutMs,
      outputBytes: OUTPUT_CAP,
    });
    return { code: ran.exitCode, stdout: ran.stdout, stderr: ran.stderr };
  }
  const command =
    runner === 'bubblewrap'
      ? await sandboxedProgram({
          dir: options.dir,
          file: '/usr/bin/git',
          args: gitArgs,
          cpuSeconds: Math.ceil(timeoutMs / 1000) + 1,
        })
      : undefined;
  if (!command)
    throw new CoderError(
      'coder_sandbox_unavailable',
      'bubblewrap cannot build a sandbox here and no Docker daemon answers; install bubblewrap (apt-get install bubblewrap) or start Docker',
    );
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, command.args, {
      cwd: command.cwd,
      env: command.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    const keep = (into: Buffer[]) => (chunk: Buffer) => {
      if (size >= OUTPUT_CAP) return;
      size += chunk.length;
      into.push(chunk);
    };
    child.stdout.on('data', keep(out));
    child.stderr.on('data', keep(err));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** A path under the sandbox's workspace, from one relative to the bound folder. */
export const inSandbox = (relative: string) =>
  relative === '' ? SANDBOX_WORKSPACE : `${SANDBOX_WORKSPACE}/${relative}`;
