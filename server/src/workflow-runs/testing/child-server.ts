import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const serveChild = fileURLToPath(new URL('../../gateway/testing/serve-child.ts', import.meta.url));

export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
}

/** The whole server in a process of its own, resolved once it listens; killed the hard way in specs. */
export async function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const { DATABASE_URL: _, ...parentEnv } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', serveChild], {
    env: {
      ...parentEnv,
      LOG_LEVEL: 'silent',
      PROOFPANE_PRICE_REFRESH: 'off',
      PROOFPANE_SCRYPT_COST: '10',
      PROOFPANE_AUTH_RATE_LIMIT: '10000',
      PROOFPANE_JWT_SECRET: 'a-test-secret-that-is-long-enough-for-hs256',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`the server exited (${code}): ${err}`)));
  });
  return {
    url,
    process: child,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** JSON over HTTP with a bearer token. */
export async function request<T = Record<string, unknown>>(
  url: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? null : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json()) as T };
}
