import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/** Runs the CLI from source, the way the tests and the bench spawn the daemon. */
export const cliCommand = (args: string[]) => ({
  command: process.execPath,
  args: ['--import', 'tsx', cliPath, ...args],
});

export interface CliProcess {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const { command, args: full } = cliCommand(args);
  const child = spawn(command, full, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stderr: () => stderr, exited };
}

/** A daemon home holding a stored pairing for `server`, with the OS keyring switched off. */
export async function pairedHome(server: string, token = 'device-token-1') {
  const home = await mkdtemp(join(tmpdir(), 'proofpane-daemon-home-'));
  await writeFile(
    join(home, 'device.json'),
    JSON.stringify({ server, deviceId: 'dev_1', org: 'org_1', token }),
    {
      mode: 0o600,
    },
  );
  return { home, token, env: { PROOFPANE_DAEMON_HOME: home, PROOFPANE_DAEMON_KEYRING: 'off' } };
}
