import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/**
 * Where `bash` runs.
 * - `workspace`: the server's in-process tools. Bubblewrap with only the org's folder bound read-write at
 *   `/workspace`, the system read-only, a private size-capped /tmp, no network, a PID namespace and
 *   resource limits. Without a working bubblewrap the command is refused, never run unconfined.
 * - `host`: the daemon on the user's own machine, which sees that machine as the user does. The command
 *   still gets its own PID namespace where bubblewrap works, so nothing it starts outlives the call;
 *   elsewhere it falls back to `process-tree`.
 * - `process-tree`: no namespace; every descendant is found by a marker in its environment and killed
 *   when the call ends (a command that scrubs its environment can escape this one).
 */
export type CommandSandbox = { kind: 'workspace' } | { kind: 'host' } | { kind: 'process-tree' };

/** Resource bounds inside the workspace sandbox: one command cannot exhaust the server's memory, CPU or disk. */
export const SANDBOX_LIMITS = {
  /** Virtual memory of each process, KiB. */
  memoryKib: 1024 * 1024,
  /** Largest file a command may write, in 512-byte blocks (256 MiB). */
  fileBlocks: 512 * 1024,
  /** Size of the private /tmp. */
  tmpBytes: 64 * 1024 * 1024,
} as const;

/** Where the workspace appears inside the sandbox, so no host path leaks into results. */
export const SANDBOX_WORKSPACE = '/workspace';

/** `PROOFPANE_BWRAP` names another bubblewrap binary (or a missing one, to check the refusal). */
const bwrapBinary = () => process.env.PROOFPANE_BWRAP || 'bwrap';
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The merged-/usr layout of current distributions: the top-level names link into /usr. */
const usrLinks = ['bin', 'sbin', 'lib', 'lib64', 'lib32'].flatMap((name) => [
  '--symlink',
  `usr/${name}`,
  `/${name}`,
]);

function workspaceArgs(dir: string): string[] {
  return [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--uid',
    '1000',
    '--gid',
    '1000',
    '--ro-bind',
    '/usr',
    '/usr',
    ...usrLinks,
    '--ro-bind-try',
    '/etc/alternatives',
    '/etc/alternatives',
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--size',
    String(SANDBOX_LIMITS.tmpBytes),
    '--tmpfs',
    '/tmp',
    '--bind',
    dir,
    SANDBOX_WORKSPACE,
    '--chdir',
    SANDBOX_WORKSPACE,
  ];
}

function hostArgs(dir: string): string[] {
  return [
    '--bind',
    '/',
    '/',
    '--dev-bind',
    '/dev',
    '/dev',
    '--proc',
    '/proc',
    '--unshare-pid',
    '--die-with-parent',
    '--chdir',
    dir,
  ];
}

/** `ulimit` one bound per call: dash takes a single limit each time. */
const limitedShell = (command: string) => [
  '/bin/sh',
  '-c',
  `ulimit -v ${SANDBOX_LIMITS.memoryKib}; ulimit -f ${SANDBOX_LIMITS.fileBlocks}; ulimit -t "$1"; exec /bin/sh -c "$2"`,
  'sh',
  '',
  command,
];

export interface SandboxedCommand {
  file: string;
  args: string[];
  /** The working directory as the command sees it. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Set when no namespace holds the command: descendants carry this in their environment. */
  marker?: string;
}

type Namespaced = 'workspace' | 'host';
const probes = new Map<string, Promise<boolean>>();

/** Whether bubblewrap can build this kind of sandbox here; asked once per process and binary. */
export function bubblewrapWorks(kind: Namespaced): Promise<boolean> {
  const binary = bwrapBinary();
  const key = `${kind} ${binary}`;
  let probe = probes.get(key);
  if (!probe) {
    const args = kind === 'workspace' ? workspaceArgs('/usr') : hostArgs('/');
    probe = new Promise((resolve) => {
      execFile(binary, [...args, '/bin/true'], { timeout: 10_000, env: { PATH: SYSTEM_PATH } }, (error) =>
        resolve(!error),
      );
    });
    probes.set(key, probe);
  }
  return probe;
}

/**
 * The process to spawn for one command. The spawned process's own environment is the minimal one too:
 * inside a PID namespace it is visible as /proc/1/environ.
 */
export async function sandboxedCommand(options: {
  sandbox: CommandSandbox;
  dir: string;
  command: string;
  cpuSeconds: number;
  callId: string;
}): Promise<SandboxedCommand | undefined> {
  const { sandbox, dir, command } = options;
  const shell = limitedShell(command);
  shell[4] = String(options.cpuSeconds);
  if (sandbox.kind === 'workspace') {
    if (!(await bubblewrapWorks('workspace'))) return undefined;
    return {
      file: bwrapBinary(),
      args: [...workspaceArgs(dir), ...shell],
      cwd: dir,
      env: minimalEnv(SANDBOX_WORKSPACE),
    };
  }
  if (sandbox.kind === 'host' && (await bubblewrapWorks('host'))) {
    return {
      file: bwrapBinary(),
      args: [...hostArgs(dir), '/bin/sh', '-c', command],
      cwd: dir,
      env: minimalEnv(dir),
    };
  }
  const marker = `PROOFPANE_TOOL_CALL=${options.callId}`;
  return {
    file: '/bin/sh',
    args: ['-c', command],
    cwd: dir,
    env: { ...minimalEnv(dir), PROOFPANE_TOOL_CALL: options.callId },
    marker,
  };
}

/**
 * A program and its arguments (not a shell line) in the workspace sandbox: the stdio MCP servers of an
 * org's registry. The argv reaches the program as is, never through a shell's parsing; the environment is
 * cleared inside the sandbox, so only the minimal one reaches the program whatever the spawner passes.
 * `undefined` when bubblewrap cannot build the sandbox: the program is then not run at all.
 */
export async function sandboxedProgram(options: {
  dir: string;
  file: string;
  args: string[];
  cpuSeconds: number;
}): Promise<SandboxedCommand | undefined> {
  if (!(await bubblewrapWorks('workspace'))) return undefined;
  const env = minimalEnv(SANDBOX_WORKSPACE);
  const setenv = Object.entries(env).flatMap(([name, value]) => ['--setenv', name, value ?? '']);
  return {
    file: bwrapBinary(),
    args: [
      ...workspaceArgs(options.dir),
      '--clearenv',
      ...setenv,
      '/bin/sh',
      '-c',
      `ulimit -v ${SANDBOX_LIMITS.memoryKib}; ulimit -f ${SANDBOX_LIMITS.fileBlocks}; ulimit -t "$1"; shift; exec "$@"`,
      'sh',
      String(options.cpuSeconds),
      options.file,
      ...options.args,
    ],
    cwd: options.dir,
    env,
  };
}

/** Only what a shell needs: nothing of the server's or daemon's own environment (tokens, keys). */
function minimalEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: SYSTEM_PATH,
    HOME: home,
    PWD: home,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TERM: 'dumb',
    TZ: process.env.TZ ?? 'UTC',
  };
}

/**
 * Kills every process whose environment carries the marker: what `setsid` or a double fork took out of
 * the process group. Linux only; elsewhere there is no /proc to search and the group kill is all there is.
 */
export async function killMarked(marker: string): Promise<number> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  const needle = Buffer.from(`\0${marker}\0`);
  const start = Buffer.from(`${marker}\0`);
  let killed = 0;
  await Promise.all(
    pids.map(async (pid) => {
      let environ: Buffer;
      try {
        environ = await readFile(`/proc/${pid}/environ`);
      } catch {
        return;
      }
      if (environ.indexOf(needle) === -1 && !environ.subarray(0, start.length).equals(start)) return;
      try {
        process.kill(Number(pid), 'SIGKILL');
        killed++;
      } catch {
        // Gone already.
      }
    }),
  );
  return killed;
}
