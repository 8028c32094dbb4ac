import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bench, BenchResult } from './report.js';
import { percentile } from './support.js';

// Issue 28's simulated deployment: many orgs (keys, a policy, a budget each) under a steady mixed load of
// governed calls on the demo provider, audit reads and SSE listeners, against two api processes + a
// projector + a worker on one PostgreSQL, then against one `all` process. Full mode runs 60 s per layout
// (BENCH_SCALE_OUT_SECONDS=600 gives the ten minutes); BENCH_QUICK=1 runs 10 s with 50 orgs;
// BENCH_SCALE_OUT_ORGS sets the number of orgs. Creating the orgs comes before the timed load.

const cli = fileURLToPath(new URL('../server/src/scale-out/testing/cli-child.ts', import.meta.url));
const METRICS_TOKEN = randomBytes(16).toString('hex');

interface Proc {
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

async function createDatabase(adminUrl: string) {
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

async function startProcess(role: string, env: Record<string, string>): Promise<Proc> {
  const port = await freePort();
  const { DATABASE_URL: _, ...parentEnv } = process.env;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', cli, 'serve', '--role', role, '--port', String(port)],
    {
      env: { ...parentEnv, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
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

const stop = (proc: Proc) =>
  new Promise<void>((resolve) => {
    if (proc.child.exitCode !== null) return resolve();
    proc.child.once('exit', () => resolve());
    proc.child.kill('SIGTERM');
  });

async function json(base: string, method: string, path: string, token?: string, body?: unknown) {
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

/** One sample of a series in a process's `/metrics`, summed over its label sets. */
async function metric(proc: Proc, name: string): Promise<number> {
  const res = await fetch(`${proc.base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await res.text();
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

interface Org {
  id: string;
  key: string;
}

async function createOrgs(base: string, count: number, log: (line: string) => void): Promise<Org[]> {
  const orgs: Org[] = [];
  let next = 0;
  const one = async (i: number) => {
    const reg = await json(base, 'POST', '/api/auth/register', undefined, {
      email: `scale-${i}-${randomBytes(3).toString('hex')}@example.test`,
      password: `scale password ${i} ${randomBytes(4).toString('hex')}`,
      orgName: `Scale ${i}`,
    });
    if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
    const token = reg.body.token as string;
    const key = await json(base, 'POST', '/api/api-keys', token, { name: 'load', role: 'admin' });
    await json(base, 'PUT', '/api/policy', token, { dlp: { EMAIL: 'mask' } });
    await json(base, 'PUT', '/api/budget', token, { monthlyUsdCap: 100 });
    orgs.push({ id: (reg.body.org as { id: string }).id, key: key.body.key as string });
  };
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < count) {
        const i = next++;
        await one(i);
        if ((i + 1) % 250 === 0) log(`  ${i + 1} orgs`);
      }
    }),
  );
  return orgs;
}

/** SSE listeners on the audit stream; every event they receive must be of their own org. */
function listen(base: string, org: Org, counters: { events: number; crossOrg: number }) {
  const controller = new AbortController();
  void fetch(`${base}/api/audit/stream`, {
    headers: { authorization: `Bearer ${org.key}`, accept: 'text/event-stream' },
    signal: controller.signal,
  })
    .then(async (res) => {
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
          buffer = buffer.slice(end + 2);
          if (data?.startsWith('{')) {
            counters.events += 1;
            if ((JSON.parse(data) as { org?: string }).org !== org.id) counters.crossOrg += 1;
          }
          end = buffer.indexOf('\n\n');
        }
      }
    })
    .catch(() => undefined);
  return () => controller.abort();
}

async function runLayout(options: {
  name: string;
  roles: string[];
  adminUrl: string;
  orgCount: number;
  seconds: number;
  log: (line: string) => void;
}): Promise<BenchResult[]> {
  const { log } = options;
  const database = await createDatabase(options.adminUrl);
  const dataDir = mkdtempSync(join(tmpdir(), 'proofpane-bench-scale-'));
  const env = {
    DATABASE_URL: database.url,
    PROOFPANE_DATA_DIR: dataDir,
    PROOFPANE_JWT_SECRET: randomBytes(32).toString('hex'),
    PROOFPANE_MASTER_KEY: randomBytes(32).toString('base64'),
    PROOFPANE_SIGNING_KEY: randomBytes(32).toString('base64'),
    PROOFPANE_METRICS_TOKEN: METRICS_TOKEN,
    PROOFPANE_SCRYPT_COST: '10',
    PROOFPANE_AUTH_RATE_LIMIT: '1000000',
    PROOFPANE_PRICE_REFRESH: 'off',
  };
  const procs: Proc[] = [];
  try {
    // Projectors first: they migrate the read models the api processes read.
    for (const role of options.roles.filter((r) => r !== 'api')) procs.push(await startProcess(role, env));
    procs.push(
      ...(await Promise.all(options.roles.filter((r) => r === 'api').map((r) => startProcess(r, env)))),
    );
    const apis = procs.filter((p) => p.role === 'api' || p.role === 'all');
    log(`${options.name}: ${procs.map((p) => p.role).join(' + ')}; creating ${options.orgCount} orgs`);
    const orgs = await createOrgs(apis[0]!.base, options.orgCount, log);
    const rssStart = await Promise.all(
      procs.map((p) => metric(p, 'proofpane_process_resident_memory_bytes')),
    );

    const sse = { events: 0, crossOrg: 0 };
    const listeners = orgs
      .slice(0, Math.min(50, orgs.length))
      .map((org, i) => listen(apis[i % apis.length]!.base, org, sse));
    const latencies: number[] = [];
    let calls = 0;
    let reads = 0;
    let errors = 0;
    let crossOrgReads = 0;
    let maxLag = 0;
    const until = Date.now() + options.seconds * 1000;
    const lagSampler = setInterval(() => {
      void metric(procs[0]!, 'proofpane_projection_lag_events').then(
        (lag) => {
          maxLag = Math.max(maxLag, lag);
        },
        () => undefined,
      );
    }, 1000);
    let turn = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (Date.now() < until) {
          const i = turn++;
          const org = orgs[(i * 7919) % orgs.length]!;
          const base = apis[i % apis.length]!.base;
          try {
            if (i % 10 < 7) {
              const started = performance.now();
              const res = await json(base, 'POST', '/v1/chat/completions', org.key, {
                model: 'demo',
                max_tokens: 32,
                messages: [{ role: 'user', content: `load ${i} from ops@example.com` }],
              });
              latencies.push(performance.now() - started);
              calls += 1;
              if (res.status !== 200) errors += 1;
            } else {
              const res = await json(base, 'GET', '/api/audit?limit=20', org.key);
              reads += 1;
              if (res.status !== 200) errors += 1;
              for (const event of (res.body.events ?? []) as { org?: string }[])
                if (event.org !== org.id) crossOrgReads += 1;
            }
          } catch {
            errors += 1;
          }
        }
      }),
    );
    clearInterval(lagSampler);
    for (const close of listeners) close();
    const rssEnd = await Promise.all(procs.map((p) => metric(p, 'proofpane_process_resident_memory_bytes')));
    const c = `${options.name}, ${options.orgCount} orgs, ${options.seconds} s`;
    const results: BenchResult[] = [
      { bench: 'scale-out', case: c, metric: 'governed calls', value: calls, unit: 'calls' },
      {
        bench: 'scale-out',
        case: c,
        metric: 'calls per second',
        value: Math.round(calls / options.seconds),
        unit: 'calls/s',
      },
      { bench: 'scale-out', case: c, metric: 'audit reads', value: reads, unit: 'reads' },
      {
        bench: 'scale-out',
        case: c,
        metric: 'errors',
        value: errors,
        unit: 'requests',
        target: '0',
        pass: errors === 0,
      },
      {
        bench: 'scale-out',
        case: c,
        metric: 'cross-org reads (audit and SSE)',
        value: crossOrgReads + sse.crossOrg,
        unit: 'events',
        target: '0',
        pass: crossOrgReads + sse.crossOrg === 0,
      },
      { bench: 'scale-out', case: c, metric: 'SSE events received', value: sse.events, unit: 'events' },
      {
        bench: 'scale-out',
        case: c,
        metric: 'call p50 (demo provider: all added)',
        value: Math.round(percentile(latencies, 50) * 100) / 100,
        unit: 'ms',
      },
      {
        bench: 'scale-out',
        case: c,
        metric: 'call p99 (demo provider: all added)',
        value: Math.round(percentile(latencies, 99) * 100) / 100,
        unit: 'ms',
      },
      { bench: 'scale-out', case: c, metric: 'projection lag, max sampled', value: maxLag, unit: 'events' },
    ];
    procs.forEach((p, i) => {
      const start = rssStart[i]! / 2 ** 20;
      const end = rssEnd[i]! / 2 ** 20;
      results.push({
        bench: 'scale-out',
        case: c,
        metric: `RSS of ${p.role}#${i} at the end (baseline: at the start)`,
        value: Math.round(end),
        baseline: Math.round(start),
        unit: 'MiB',
        target: 'within 10 %',
        pass: end <= start * 1.1,
      });
    });
    return results;
  } finally {
    await Promise.all(procs.map(stop));
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const bench: Bench = async (ctx) => {
  if (!ctx.databaseUrl) {
    ctx.log('scale-out: skipped — it runs several processes on one PostgreSQL; set DATABASE_URL to run it');
    return [];
  }
  const seconds = Number(process.env.BENCH_SCALE_OUT_SECONDS ?? (ctx.quick ? 10 : 60));
  const orgCount = Number(process.env.BENCH_SCALE_OUT_ORGS ?? (ctx.quick ? 50 : 1_000));
  const common = { adminUrl: ctx.databaseUrl, orgCount, seconds, log: ctx.log };
  return [
    ...(await runLayout({
      ...common,
      name: '2 api + projector + worker',
      roles: ['projector', 'worker', 'api', 'api'],
    })),
    ...(await runLayout({ ...common, name: '1 all process', roles: ['all'] })),
  ];
};

export default bench;
