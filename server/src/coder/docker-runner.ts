import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { bubblewrapWorks, SANDBOX_LIMITS, SANDBOX_WORKSPACE } from '@proofpane/daemon';

/**
 * The image a Docker-run session command uses; `PROOFPANE_CODER_DOCKER_IMAGE` names another. It must hold
 * `sh`, `timeout` and `git` (the session's git runs in the container too), so not a slim image.
 */
export const DEFAULT_CODER_IMAGE = 'node:20-bookworm';

/**
 * `docker run` for one greenfield command: no network, a read-only root, only the session's folder
 * writable at `/workspace`, a size-capped /tmp, a non-root user, no capabilities or privilege gain, and
 * bounds on memory, CPU and processes. The command goes in as arguments of `sh -c`, never through a shell
 * on the host.
 */
export function dockerRunArgs(options: {
  workspace: string;
  /** A shell line, run by `sh -c` in the container; or `argv`, a program and its arguments. */
  command?: string;
  argv?: string[];
  image?: string;
  name: string;
  timeoutSeconds: number;
  /** `uid:gid` the command runs as; never root. */
  user?: string;
}): string[] {
  const user = options.user ?? '1000:1000';
  if (!/^[1-9][0-9]{0,9}:[0-9]{1,10}$/.test(user)) throw new Error('docker user must be a non-root uid:gid');
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/.test(options.name))
    throw new Error('docker container name invalid');
  if (options.workspace.includes(',') || options.workspace.includes('\0'))
    throw new Error('docker workspace path invalid');
  return [
    'run',
    '--rm',
    '--name',
    options.name,
    '--network=none',
    '--read-only',
    '--user',
    user,
    '--cap-drop=ALL',
    '--security-opt',
    'no-new-privileges',
    '--pids-limit',
    '256',
    '--memory',
    `${SANDBOX_LIMITS.memoryKib}k`,
    '--cpus',
    '1',
    '--ulimit',
    `fsize=${SANDBOX_LIMITS.fileBlocks * 512}`,
    '--tmpfs',
    `/tmp:rw,noexec,nosuid,size=${SANDBOX_LIMITS.tmpBytes}`,
    '--mount',
    `type=bind,source=${options.workspace},target=${SANDBOX_WORKSPACE}`,
    '--workdir',
    SANDBOX_WORKSPACE,
    '--env',
    'HOME=/tmp',
    '--stop-timeout',
    '1',
    options.image ?? DEFAULT_CODER_IMAGE,
    'timeout',
    '--signal=KILL',
    String(options.timeoutSeconds),
    ...(options.argv ?? ['/bin/sh', '-c', options.command ?? 'true']),
  ];
}

/** The Docker CLI: `PROOFPANE_DOCKER`, else `docker` on the PATH. */
export const dockerBinary = () => process.env.PROOFPANE_DOCKER || 'docker';

/** Whether a Docker daemon answers here: `docker version` reaches the engine through its socket. */
export function dockerAnswers(binary = dockerBinary()): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(binary, ['version', '--format', '{{.Server.Version}}'], { timeout: 5_000 }, (error, stdout) =>
      resolve(!error && stdout.trim().length > 0),
    );
  });
}

export type GreenfieldRunner = 'bubblewrap' | 'docker';

/**
 * The sandbox a greenfield session runs in: bubblewrap first, then Docker, else none (the route then
 * answers `coder_sandbox_unavailable` naming both). Docker is asked only when bubblewrap fails.
 */
export async function chooseGreenfieldRunner(probes: {
  bubblewrap: () => Promise<boolean>;
  docker: () => Promise<boolean>;
}): Promise<GreenfieldRunner | null> {
  if (await probes.bubblewrap()) return 'bubblewrap';
  if (await probes.docker()) return 'docker';
  return null;
}

const DOCKER_PROBE_MS = 30_000;
const dockerProbes = new Map<string, { at: number; answer: Promise<boolean> }>();

/** `dockerAnswers`, asked at most every 30 s per CLI: an engine that starts or stops is noticed. */
export function dockerWorks(): Promise<boolean> {
  const binary = dockerBinary();
  let probe = dockerProbes.get(binary);
  if (!probe || Date.now() - probe.at > DOCKER_PROBE_MS) {
    probe = { at: Date.now(), answer: dockerAnswers(binary) };
    dockerProbes.set(binary, probe);
  }
  return probe.answer;
}

/** The sandbox coder sessions run their commands and git in here, in the order of decision 0048. */
export const coderRunner = (): Promise<GreenfieldRunner | null> =>
  chooseGreenfieldRunner({ bubblewrap: () => bubblewrapWorks('workspace'), docker: dockerWorks });

export interface ContainerResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
}

/**
 * One command in a fresh container (`dockerRunArgs`): output capped per stream, and on the timeout or a
 * cancel the CLI is killed and the container removed by name, so nothing keeps running after the call.
 */
export function runInContainer(options: {
  workspace: string;
  command?: string;
  argv?: string[];
  timeoutMs: number;
  outputBytes: number;
  signal?: AbortSignal;
}): Promise<ContainerResult> {
  const name = `proofpane-coder-${randomBytes(8).toString('hex')}`;
  const args = dockerRunArgs({
    workspace: options.workspace,
    ...(options.argv ? { argv: options.argv } : { command: options.command ?? 'true' }),
    name,
    image: process.env.PROOFPANE_CODER_DOCKER_IMAGE || DEFAULT_CODER_IMAGE,
    timeoutSeconds: Math.max(1, Math.ceil(options.timeoutMs / 1000)),
    // The server's own user, so what the command writes stays the server's; 1000 if the server is root.
    user: process.getuid?.() ? `${process.getuid()}:${process.getgid?.() ?? process.getuid()}` : '1000:1000',
  });
  return new Promise((resolve, reject) => {
    const child = spawn(dockerBinary(), args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The CLI needs no secret of the server: only where to find itself and the engine.
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
      },
    });
    let truncated = false;
    const capture = () => {
      const chunks: Buffer[] = [];
      let size = 0;
      return {
        push: (chunk: Buffer) => {
          const room = options.outputBytes - size;
          if (chunk.length > room) truncated = true;
          if (room <= 0) return;
          const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
          chunks.push(kept);
          size += kept.length;
        },
        text: () => Buffer.concat(chunks).toString('utf8'),
      };
    };
    const out = capture();
    const err = capture();
    child.stdout.on('data', out.push);
    child.stderr.on('data', err.push);
    const stop = () => {
      child.kill('SIGKILL');
      execFile(dockerBinary(), ['rm', '--force', name], { timeout: 10_000 }, () => undefined);
    };
    // The container's own `timeout` kills the command; this one covers an engine that hangs.
    const timer = setTimeout(stop, options.timeoutMs + 5_000);
    options.signal?.addEventListener('abort', stop, { once: true });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      resolve({ exitCode: code, signal, stdout: out.text(), stderr: err.text(), truncated });
    });
  });
}
