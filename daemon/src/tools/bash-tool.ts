import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Root } from './confine.js';
import { LIMITS } from './limits.js';
import type { BashResult } from './results.js';
import { killMarked, type SandboxedCommand, sandboxedCommand } from './sandbox.js';
import type { ToolArgs } from './schemas.js';
import { ToolError } from './tool-error.js';

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

export async function bashTool(
  root: Root,
  args: ToolArgs<'bash'>,
  signal?: AbortSignal,
): Promise<BashResult> {
  const timeoutMs = args.timeoutMs ?? LIMITS.bashDefaultTimeoutMs;
  if (signal?.aborted) throw new ToolError('aborted', 'the call was cancelled');
  const sandbox = root.sandbox ?? { kind: 'host' };
  const command = await sandboxedCommand({
    sandbox,
    dir: root.real,
    command: args.command,
    cpuSeconds: Math.ceil(timeoutMs / 1000) + 1,
    callId: randomUUID(),
  });
  if (!command) {
    throw new ToolError(
      'sandbox_unavailable',
      'bash runs only inside a sandbox and none is available here (install bubblewrap: apt-get install bubblewrap)',
    );
  }
  if (signal?.aborted) throw new ToolError('aborted', 'the call was cancelled');
  return run(command, timeoutMs, signal);
}

function run(command: SandboxedCommand, timeoutMs: number, signal?: AbortSignal): Promise<BashResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, command.args, {
      cwd: command.cwd,
      env: command.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = new CappedBuffer();
    const stderr = new CappedBuffer();
    let stopped: ToolError | undefined;
    const killAll = () => {
      killGroup(child.pid);
      if (command.marker) void killMarked(command.marker);
    };
    const stop = (error: ToolError) => {
      stopped ??= error;
      killAll();
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
    child.on('exit', killAll);
    child.on('error', (err) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(new ToolError('io_error', `could not start ${command.file}: ${err.message}`));
    });
    child.on('close', async (exitCode, exitSignal) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // Descendants that left the group (setsid, double fork) are gone before the call answers.
      if (command.marker) await killMarked(command.marker);
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
