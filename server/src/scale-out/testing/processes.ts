import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('./cli-child.ts', import.meta.url));

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  output(): string;
  /** SIGTERM, and resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * `proofpane serve` as a child process on a free port; resolves once it logged its address. The
 * parent's DATABASE_URL is never inherited: each spec names its own database.
 */
export function startServe(options: { args: string[]; env: Record<string, string> }): Promise<ServerProcess> {
  const { DATABASE_URL: _, ...parentEnv } = process.env;
  const proc = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--port', '0', ...options.args], {
    env: { ...parentEnv, LOG_LEVEL: 'info', PROOFPANE_PRICE_REFRESH: 'off', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+?)\/?"/.exec(out);
      if (match)
        resolve({
          url: match[1]!,
          proc,
          output: () => out,
          stop: async () => {
            if (proc.exitCode === null) proc.kill('SIGTERM');
            await exited;
          },
        });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.on('exit', (code) => reject(new Error(`proofpane serve exited (${code}): ${out.slice(-4000)}`)));
  });
}
