import { spawn } from 'node:child_process';
import type { Root } from './confine.js';
import { LIMITS } from './limits.js';
import type { BashResult } from './results.js';
import type { ToolArgs } from './schemas.js';
import { ToolError } from './tool-error.js';

/** Only what a shell needs: nothing of the daemon's own environment (tokens, keys) reaches the command. */
function minimalEnv(root: Root): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: root.real,
    PWD: root.real,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TERM: 'dumb',
    TZ: process.env.TZ ?? 'UTC',
  };
}

class CappedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  truncated = false;

  push(chunk: Buffer) {
    const room = LIMITS.bashOutputBytes - this.size;
    if (chunk.length > room) this.truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text() {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Kills the whole process group so children of the shell (pipelines, background jobs) die too. */
function killGroup(pid: number | undefined) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

export function bashTool(root: Root, args: ToolArgs<'bash'>, signal?: AbortSignal): Promise<BashResult> {
  const timeoutMs = args.timeoutMs ?? LIMITS.bashDefaultTimeoutMs;
  if (signal?.aborted) return Promise.reject(new ToolError('aborted', 'the call was cancelled'));
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', args.command], {
      cwd: root.real,
      env: minimalEnv(root),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = new CappedBuffer();
    const stderr = new CappedBuffer();
    let stopped: ToolError | undefined;
    const stop = (error: ToolError) => {
      stopped ??= error;
      killGroup(child.pid);
    };
    const timer = setTimeout(
      () => stop(new ToolError('timeout', `command did not finish within ${timeoutMs} ms and was killed`)),
      timeoutMs,
    );
    const onAbort = () => stop(new ToolError('aborted', 'the call was cancelled; the command was killed'));
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // Background jobs left by the shell would hold the pipes open: end them with the shell.
    child.on('exit', () => killGroup(child.pid));
    child.on('error', (err) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(new ToolError('io_error', `could not start /bin/sh: ${err.message}`));
    });
    child.on('close', (exitCode, exitSignal) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (stopped) return reject(stopped);
      resolve({
        exitCode,
        signal: exitSignal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        truncated: stdout.truncated || stderr.truncated,
      });
    });
  });
}
