import { execFile } from 'node:child_process';
import { SANDBOX_LIMITS, SANDBOX_WORKSPACE } from '@proofpane/daemon';

/** The image a Docker-run greenfield command uses; `PROOFPANE_CODER_DOCKER_IMAGE` names another. */
export const DEFAULT_CODER_IMAGE = 'node:20-bookworm-slim';

/**
 * `docker run` for one greenfield command: no network, a read-only root, only the session's folder
 * writable at `/workspace`, a size-capped /tmp, a non-root user, no capabilities or privilege gain, and
 * bounds on memory, CPU and processes. The command goes in as arguments of `sh -c`, never through a shell
 * on the host.
 */
export function dockerRunArgs(options: {
  workspace: string;
  command: string;
  image?: string;
  name: string;
  timeoutSeconds: number;
}): string[] {
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
    '1000:1000',
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
    '/bin/sh',
    '-c',
    options.command,
  ];
}

/** Whether a Docker daemon answers here: `docker version` reaches the engine through its socket. */
export function dockerAnswers(binary = process.env.PROOFPANE_DOCKER || 'docker'): Promise<boolean> {
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
