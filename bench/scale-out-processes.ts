import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

// The scale-out bench's processes: `proofpane serve --role …` children on one PostgreSQL database, and
// what the bench reads of them over HTTP (JSON routes and the Prometheus text of `/metrics`).

const cli = fileURLToPath(new URL('../server/src/scale-out/testing/cli-child.ts', import.meta.url));

export interface Proc {
  role: string;
  base: string;
  child: ChildProcess;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export async function createDatabase(adminUrl: string) {
  const { default: pg } = await import('pg');
  const name = `pp_bench_scale_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    },
  };
}

/** BENCH_SCALE_OUT_CPU_PROF=DIR: each process writes a V8 CPU profile there when it stops. */
const profiling = () => {
  const dir = process.env.BENCH_SCALE_OUT_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
};

export async function startProcess(role: string, env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const { DATABASE_URL: _, ...parentEnv } = process.env;
  const child = spawn(
    process.execPath,
    [...profiling(), '--import', 'tsx', cli, 'serve', '--role', role, '--port', String(port)],
    {
      env: { ...parentEnv, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  // Starting from sources under tsx takes a while on a loaded machine: up to five minutes.
  for (let i = 0; i < 3_000; i++) {
    if (child.exitCode !== null) throw new Error(`${role} exited with ${child.exitCode}`);
    const up = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { role, base, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${role} did not come up`);
}

export const stop = (proc: Proc) =>
  new Promise<void>((resolve) => {
    if (proc.child.exitCode !== null) return resolve();
    proc.child.once('exit', () => resolve());
    proc.child.kill('SIGTERM');
  });

export async function json(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}

/** Series of a process's `/metrics`, each summed over its label sets. */
export async function metrics(proc: Proc, token: string, names: readonly string[]): Promise<number[]> {
  const res = await fetch(`${proc.base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  return names.map((name) => {
    let sum = 0;
    for (const line of text.split('\n'))
      if (line.startsWith(`${name} `) || line.startsWith(`${name}{`))
        sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    return sum;
  });
}

export interface MemorySample {
  rssMiB: number;
  heapUsedMiB: number;
}

/** Resident set and V8 heap in use of each process, as prom-client's default metrics report them. */
export async function sampleMemory(procs: readonly Proc[], token: string): Promise<MemorySample[]> {
  return Promise.all(
    procs.map(async (p) => {
      const [rss, heap] = await metrics(p, token, [
        'proofpane_process_resident_memory_bytes',
        'proofpane_nodejs_heap_size_used_bytes',
      ]);
      return { rssMiB: rss! / 2 ** 20, heapUsedMiB: heap! / 2 ** 20 };
    }),
  );
}
