import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bench, BenchResult } from './report.js';
import { createOrgs, governedCall, type Org, verifySample, warmUp } from './scale-out-orgs.js';
import {
  createDatabase,
  json,
  type MemorySample,
  metrics,
  type Proc,
  sampleMemory,
  startProcess,
  stop,
} from './scale-out-processes.js';
import { percentile } from './support.js';

// Issue 28's simulated deployment: many orgs (keys, a policy, a budget each) under a steady mixed load of
// governed calls on the demo provider, audit reads and SSE listeners, against two api processes + a
// projector + a worker on one PostgreSQL, then against one `all` process. Full mode runs 60 s per layout
// (BENCH_SCALE_OUT_SECONDS=600 gives the ten minutes); BENCH_QUICK=1 runs 10 s with 50 orgs;
// BENCH_SCALE_OUT_ORGS sets the number of orgs. Set-up (creating the orgs, checking a sample of their
// chains, then one call and one read per org to warm every per-org cache) comes before the timed load,
// and memory is sampled after it, half-way and at the end.

const METRICS_TOKEN = randomBytes(16).toString('hex');
const SET_UP_CONCURRENCY = Number(process.env.BENCH_SCALE_OUT_SETUP_CONCURRENCY ?? 64);
const CHAINS_VERIFIED = 25;

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

interface Load {
  calls: number;
  reads: number;
  errors: number;
  crossOrgReads: number;
  latencies: number[];
}

/** 32 callers until `until`: 70 % governed calls, 30 % audit reads, each org on its own api process. */
async function drive(orgs: readonly Org[], until: number): Promise<Load> {
  const load: Load = { calls: 0, reads: 0, errors: 0, crossOrgReads: 0, latencies: [] };
  let turn = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (Date.now() < until) {
        const i = turn++;
        const org = orgs[(i * 7919) % orgs.length]!;
        try {
          if (i % 10 < 7) {
            const started = performance.now();
            const res = await governedCall(org, `load ${i}`);
            load.latencies.push(performance.now() - started);
            load.calls += 1;
            if (res.status !== 200) load.errors += 1;
          } else {
            const res = await json(org.api.base, 'GET', '/api/audit?limit=20', org.key);
            load.reads += 1;
            if (res.status !== 200) load.errors += 1;
            for (const event of (res.body.events ?? []) as { org?: string }[])
              if (event.org !== org.id) load.crossOrgReads += 1;
          }
        } catch {
          load.errors += 1;
        }
      }
    }),
  );
  return load;
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
    const setUpStarted = performance.now();
    const orgs = await createOrgs({ apis, count: options.orgCount, concurrency: SET_UP_CONCURRENCY, log });
    const setUpSeconds = (performance.now() - setUpStarted) / 1000;
    const verified = await verifySample({ url: database.url, orgs, sample: CHAINS_VERIFIED });
    log(`  set-up ${setUpSeconds.toFixed(1)} s; ${verified} chains verified; warming up`);
    const warmStarted = performance.now();
    await warmUp({ orgs, concurrency: 32 });
    const warmSeconds = (performance.now() - warmStarted) / 1000;

    const memory: MemorySample[][] = [await sampleMemory(procs, METRICS_TOKEN)];
    const sse = { events: 0, crossOrg: 0 };
    const listeners = orgs.slice(0, Math.min(50, orgs.length)).map((org) => listen(org.api.base, org, sse));
    let maxLag = 0;
    const until = Date.now() + options.seconds * 1000;
    const lagSampler = setInterval(() => {
      void metrics(procs[0]!, METRICS_TOKEN, ['proofpane_projection_lag_events']).then(
        ([lag]) => {
          maxLag = Math.max(maxLag, lag!);
        },
        () => undefined,
      );
    }, 1000);
    const middle = new Promise<MemorySample[]>((resolve) =>
      setTimeout(() => resolve(sampleMemory(procs, METRICS_TOKEN)), (options.seconds * 1000) / 2),
    );
    const load = await drive(orgs, until);
    clearInterval(lagSampler);
    for (const close of listeners) close();
    memory.push(await middle, await sampleMemory(procs, METRICS_TOKEN));
    const c = `${options.name}, ${options.orgCount} orgs, ${options.seconds} s`;
    const row = (metric: string, value: number, unit: string, more: Partial<BenchResult> = {}) =>
      ({ bench: 'scale-out', case: c, metric, value, unit, ...more }) satisfies BenchResult;
    const ms = (v: number) => Math.round(v * 100) / 100;
    const crossOrg = load.crossOrgReads + sse.crossOrg;
    const results: BenchResult[] = [
      row('set-up: orgs with key, policy and budget', Math.round(setUpSeconds * 10) / 10, 's'),
      row('set-up: chains verified (sample)', verified, 'orgs'),
      row('warm-up: one call and one read per org', Math.round(warmSeconds * 10) / 10, 's'),
      row('governed calls', load.calls, 'calls'),
      row('calls per second', Math.round(load.calls / options.seconds), 'calls/s'),
      row('audit reads', load.reads, 'reads'),
      row('errors', load.errors, 'requests', { target: '0', pass: load.errors === 0 }),
      row('cross-org reads (audit and SSE)', crossOrg, 'events', { target: '0', pass: crossOrg === 0 }),
      row('SSE events received', sse.events, 'events'),
      row('call p50 (demo provider: all added)', ms(percentile(load.latencies, 50)), 'ms'),
      row('call p99 (demo provider: all added)', ms(percentile(load.latencies, 99)), 'ms'),
      row('projection lag, max sampled', maxLag, 'events'),
    ];
    procs.forEach((p, i) => {
      const [start, mid, end] = memory.map((m) => m[i]!) as [MemorySample, MemorySample, MemorySample];
      const mib = (v: number) => Math.round(v);
      log(
        `  ${p.role}#${i}: RSS ${mib(start.rssMiB)} → ${mib(mid.rssMiB)} → ${mib(end.rssMiB)} MiB, ` +
          `heap used ${mib(start.heapUsedMiB)} → ${mib(mid.heapUsedMiB)} → ${mib(end.heapUsedMiB)} MiB`,
      );
      results.push(
        row(`RSS of ${p.role}#${i} at the end (baseline: after warm-up)`, mib(end.rssMiB), 'MiB', {
          baseline: mib(start.rssMiB),
          target: 'within 10 %',
          pass: end.rssMiB <= start.rssMiB * 1.1,
        }),
        row(`RSS of ${p.role}#${i} half-way`, mib(mid.rssMiB), 'MiB'),
        row(`heap used of ${p.role}#${i} at the end (baseline: after warm-up)`, mib(end.heapUsedMiB), 'MiB', {
          baseline: mib(start.heapUsedMiB),
        }),
        row(`heap used of ${p.role}#${i} half-way`, mib(mid.heapUsedMiB), 'MiB'),
      );
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
