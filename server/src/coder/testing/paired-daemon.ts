import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const daemonCli = fileURLToPath(new URL('../../../../daemon/src/cli.ts', import.meta.url));

/** git with a fixed author and no user configuration needed, for the specs' repositories. */
export const specGit = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=Spec', '-c', 'user.email=spec@example.test', ...args], {
    cwd,
    encoding: 'utf8',
  });

/**
 * A one-commit repository `<root>/<name>` whose `test.sh` passes only once `greet.sh` prints
 * "hello, world": the change the coder specs script their model to make.
 */
export function greetRepository(root: string, name = 'calc'): string {
  const repo = join(root, name);
  mkdirSync(repo, { recursive: true });
  writeFileSync(join(repo, 'greet.sh'), 'echo "hello"\n');
  writeFileSync(
    join(repo, 'test.sh'),
    '[ "$(sh greet.sh)" = "hello, world" ] && echo TESTS-PASS || { echo TESTS-FAIL; exit 1; }\n',
  );
  specGit(repo, 'init', '--quiet', '-b', 'main');
  specGit(repo, 'add', '.');
  specGit(repo, 'commit', '--quiet', '-m', 'first');
  return repo;
}

function daemonProcess(args: string[], home: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', daemonCli, ...args], {
    env: { ...process.env, PROOFPANE_DAEMON_HOME: home, PROOFPANE_DAEMON_KEYRING: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c: Buffer) => {
    output += c.toString();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface PairedDaemon {
  deviceId: string;
  org: string;
  /** The folder `proofpane-daemon run --root` serves: session paths are relative to it. */
  root: string;
  child: ChildProcess;
  /** Kills the daemon and removes its home and root. */
  close(): Promise<void>;
}

/**
 * A real `proofpane-daemon` child process paired with a single-use code to the server at `server`
 * (loopback), then running over a fresh root until `isConnected` says the server sees it.
 */
export async function startPairedDaemon(options: {
  server: string;
  code: string;
  name?: string;
  isConnected: (deviceId: string) => boolean;
}): Promise<PairedDaemon> {
  const home = mkdtempSync(join(tmpdir(), 'pp-coder-daemon-home-'));
  const root = mkdtempSync(join(tmpdir(), 'pp-coder-daemon-root-'));
  const remove = () => {
    rmSync(home, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  };
  const named = options.name ? ['--name', options.name] : [];
  const pairing = daemonProcess(['pair', '--server', options.server, '--code', options.code, ...named], home);
  const paired = await pairing.exited;
  if (paired !== 0) {
    remove();
    throw new Error(`pairing the daemon failed (${paired}): ${pairing.output()}`);
  }
  const stored = JSON.parse(readFileSync(join(home, 'device.json'), 'utf8')) as {
    deviceId: string;
    org: string;
  };
  const run = daemonProcess(['run', '--root', root], home);
  const close = async () => {
    if (run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill('SIGKILL');
      await run.exited;
    }
    remove();
  };
  try {
    // Starting the daemon under tsx takes seconds on a busy machine.
    await until(() => options.isConnected(stored.deviceId), 'the daemon to connect', 90_000);
  } catch (error) {
    await close();
    throw new Error(`${(error as Error).message}; the daemon said: ${run.output()}`);
  }
  return { deviceId: stored.deviceId, org: stored.org, root, child: run.child, close };
}
