import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp, loadConfig, openRuntime } from '@proofpane/server';

/** The p-th percentile (0–100) of unsorted samples, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * A real server on loopback over an embedded PGlite in a temporary folder, with one registered
 * owner: what the latency benches measure against.
 */
export async function startBenchServer(options: { name: string; env?: Record<string, string> }) {
  const dir = mkdtempSync(join(tmpdir(), `proofpane-bench-${options.name}-`));
  const config = loadConfig({
    PROOFPANE_DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'silent',
    PROOFPANE_SCRYPT_COST: '10',
    PROOFPANE_AUTH_RATE_LIMIT: '100000',
    PROOFPANE_CHECKPOINT_INTERVAL_S: '0',
    PROOFPANE_PRICE_REFRESH: 'off',
    ...options.env,
  });
  const runtime = await openRuntime({ config });
  const app = await buildApp({ runtime, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const registered = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email: `${options.name}@example.test`, password: 'bench password 1', orgName: 'Bench' },
  });
  const { token, org } = registered.json() as { token: string; org: { id: string } };
  return {
    app,
    runtime,
    base,
    dir,
    token,
    org: org.id,
    close: async () => {
      await app.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const tsxArgs = (script: string, args: readonly string[]) => [
  '--import',
  'tsx',
  fileURLToPath(new URL(script, import.meta.url)),
  ...args,
];

/** Runs a bench helper script (relative to bench/) in its own Node process and returns its stdout. */
export function runBenchScript(script: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, tsxArgs(script, args), { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${script} exited with ${code}`)),
    );
  });
}

/** Starts a long-running bench helper script and resolves with its first line of output once printed. */
export function startBenchScript(
  script: string,
  args: readonly string[],
): Promise<{ child: ChildProcess; firstLine: string }> {
  const child = spawn(process.execPath, tsxArgs(script, args), { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const end = out.indexOf('\n');
      if (end >= 0) resolve({ child, firstLine: out.slice(0, end) });
    });
  });
}
