import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Database, openDatabase } from '@proofpane/core';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openRuntime } from '../server/src/runtime/runtime.js';
import { commitFloor } from './commit-floor.js';
import type { Bench, BenchContext, BenchResult } from './report.js';
import { percentile, runBenchScript, startBenchScript } from './support.js';

// Gateway overhead: the same chat completion sent straight to a local fake upstream, through Portkey's
// open-source gateway (the peer: a proxy that governs nothing durably) and through the governed gateway
// (auth, policy + DLP, budget, audit + settlement), in the same run. The load generator, the fake upstreams
// and Portkey run in their own processes; this process runs only the gateway, so its own CPU counters
// (process.cpuUsage) over a measurement are the gateway's CPU (with PGlite, the database's too; PostgreSQL's
// own CPU is not counted). Two upstreams: one that answers at once (c=50 saturates the gateway: added
// latency is its cost per call times the queue) and one that takes MODEL_DELAY_MS like a fast model (added
// latency at the load that 50 concurrent callers really put on a gateway).
const MODEL_DELAY_MS = 100;

const body = (model: string) =>
  JSON.stringify({
    model,
    max_tokens: 64,
    messages: [
      { role: 'user', content: 'Summarise the quarterly report for jane@example.com in two lines.' },
    ],
  });

interface Upstream {
  name: string;
  url: string;
  /** The model name the gateway routes to this upstream. */
  model: string;
  stop(): void;
}

async function startUpstream(name: string, model: string, delayMs: number): Promise<Upstream> {
  const { child, firstLine } = await startBenchScript('./gateway-upstream.ts', [
    '--delay-ms',
    String(delayMs),
  ]);
  return { name, url: firstLine.trim(), model, stop: () => child.kill() };
}

interface Target {
  name: string;
  /** The database, and its URL on PostgreSQL: the gateway's projections thread opens its own pool there. */
  open(): Promise<{ database: Database; url?: string }>;
  cleanup(): Promise<void>;
}

function targets(ctx: BenchContext, dir: string): Target[] {
  const list: Target[] = [
    {
      name: 'pglite',
      open: async () => ({ database: await openDatabase({ dataDir: join(dir, 'pglite') }) }),
      cleanup: async () => {},
    },
  ];
  if (!ctx.databaseUrl) {
    ctx.log('DATABASE_URL unset: PostgreSQL figures skipped');
    return list;
  }
  const admin = ctx.databaseUrl;
  const name = `pp_bench_gw_${Date.now().toString(36)}`;
  const run = async (query: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(query);
    await client.end();
  };
  list.push({
    name: 'postgres',
    open: async () => {
      await run(`CREATE DATABASE ${name}`);
      const url = new URL(admin);
      url.pathname = `/${name}`;
      return { database: await openDatabase({ url: url.toString(), poolSize: 20 }), url: url.toString() };
    },
    // No FORCE: terminating a connection some pool still holds would crash the run; a leftover is reported.
    cleanup: () =>
      run(`DROP DATABASE IF EXISTS ${name}`).catch((error: unknown) =>
        ctx.log(`could not drop ${name}: ${(error as Error).message}`),
      ),
  });
  return list;
}

interface Measured {
  p50: number;
  p99: number;
  count: number;
  errors: number;
  /** p50 of each Server-Timing metric the target reported (the gateway's own counters), ms. */
  stages: Partial<Record<'policy' | 'budget' | 'provider' | 'audit' | 'total' | 'other', number>>;
}

/**
 * Where a governed call's time goes, from the server's own Server-Timing counters (p50 of each): the gates
 * (policy + DLP, budget), the provider call as the gateway saw it, the outcome commit (audit append and
 * settlement), the rest of the handler (auth, parsing, rendering: total minus the gates), and what lies
 * outside the handler (HTTP parse and write, queueing, the client: the caller's p50 minus the total).
 */
function split(m: Measured) {
  const s = m.stages;
  if (s.total === undefined) return undefined;
  return {
    gates: (s.policy ?? 0) + (s.budget ?? 0),
    provider: s.provider ?? 0,
    commit: s.audit ?? 0,
    handler: s.other ?? 0,
    outside: m.p50 - s.total,
  };
}

/** Runs the load generator in its own process; response times keep autocannon's sub-millisecond resolution. */
async function measure(options: {
  url: string;
  model: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  overallRate?: number;
}): Promise<Measured> {
  const args = [
    '--url',
    options.url,
    '--body',
    body(options.model),
    '--connections',
    String(options.connections),
    '--seconds',
    String(options.seconds),
    ...Object.entries(options.headers).flatMap(([k, v]) => ['--header', `${k}: ${v}`]),
    ...(options.overallRate ? ['--rate', String(options.overallRate)] : []),
  ];
  return JSON.parse(await runBenchScript('./gateway-load.ts', args)) as Measured;
}

async function startGateway(
  { database, url }: { database: Database; url?: string },
  upstreams: { instant: Upstream; model: Upstream },
  dataDir: string,
) {
  const config = loadConfig({
    PROOFPANE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PROOFPANE_SCRYPT_COST: '10',
    PROOFPANE_AUTH_RATE_LIMIT: '100000',
    PROOFPANE_PRICE_REFRESH: 'off',
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: `${upstreams.instant.url}/v1`,
    DEEPSEEK_API_KEY: 'sk-bench',
    DEEPSEEK_BASE_URL: `${upstreams.model.url}/v1`,
    // As `proofpane serve` on PostgreSQL: the projections run in their own thread, unless
    // PROOFPANE_PROJECTIONS=inline is set for the bench to compare the two.
    ...(url ? { DATABASE_URL: url } : {}),
    ...(process.env.PROOFPANE_PROJECTIONS
      ? { PROOFPANE_PROJECTIONS: process.env.PROOFPANE_PROJECTIONS }
      : {}),
  });
  const runtime = await openRuntime({ config, database });
  const app = await buildApp({ runtime, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const reg = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email: `bench-${Date.now()}@example.test`, password: 'bench password 1', orgName: 'Bench' },
  });
  const token = reg.json().token as string;
  const created = await app.inject({
    method: 'POST',
    url: '/api/api-keys',
    headers: { authorization: `Bearer ${token}` },
    payload: { name: 'bench', role: 'member' },
  });
  const key = created.json().key as string;
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    headers: { authorization: `Bearer ${key}` },
    close: async () => {
      await app.close();
      await runtime.close();
    },
  };
}

/**
 * Resident memory over a steady run, sampled after a full collection (the bench runs with --expose-gc):
 * the JS heap's sawtooth moves RSS by hundreds of MB between collections, which says where the
 * collector is, not what the gateway keeps. Ten samples and one at the end; the first falls in the warm-up
 * (JIT, pools and caches filling).
 */
const median = (values: number[]) => percentile(values, 50);

async function soak(options: {
  url: string;
  headers: Record<string, string>;
  model: string;
  seconds: number;
  log: (line: string) => void;
}) {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) options.log('soak: run with node --expose-gc to sample after a full collection');
  const samples: { rss: number; heap: number }[] = [];
  const sample = () => {
    collect?.();
    const { rss, heapUsed } = process.memoryUsage();
    samples.push({ rss, heap: heapUsed });
  };
  const timer = setInterval(sample, (options.seconds * 1000) / 10);
  const run = await measure({ ...options, connections: 10, overallRate: 100 });
  clearInterval(timer);
  sample();
  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  options.log(
    `soak RSS after GC (MB): ${samples.map((x) => mb(x.rss)).join(' ')}; JS heap after GC (MB): ${samples.map((x) => mb(x.heap)).join(' ')}`,
  );
  // Even after a collection, native allocations move RSS by tens of MB from sample to sample: compare
  // the medians of the two halves after the warm-up sample rather than two single samples.
  const steady = samples.slice(1).map((x) => x.rss);
  const half = Math.floor(steady.length / 2);
  const start = median(steady.slice(0, half));
  const end = median(steady.slice(-half));
  return {
    driftPct: ((end - start) / start) * 100,
    requests: run.count,
    errors: run.errors,
    endMb: end / 2 ** 20,
  };
}

const PORTKEY_SERVER = new URL('../node_modules/@portkey-ai/gateway/build/start-server.js', import.meta.url);

/** Portkey's open-source gateway in its own process: the peer the gateway's overhead is compared with. */
async function startPortkey(): Promise<{ port: number; pid: number; stop(): void }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const child = spawn(process.execPath, [fileURLToPath(PORTKEY_SERVER), `--port=${port}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; ; i += 1) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      break;
    } catch (error) {
      if (i > 200) throw new Error(`Portkey's gateway did not start: ${(error as Error).message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { port, pid: child.pid!, stop: () => child.kill() };
}

/** CPU time (ms) another process has used so far, from /proc (Linux); undefined elsewhere. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (USER_HZ, 100 on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** This process's CPU time (ms): the gateway runs here, the load generator and upstreams do not. */
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** This process's CPU per second of wall time while no request arrives. */
async function idleCpu(seconds: number): Promise<number> {
  const cpu0 = ownCpuMs();
  const wall0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return ((ownCpuMs() - cpu0) / (performance.now() - wall0)) * 1000;
}

const CASES = [
  { name: 'c=1 instant', upstream: 'instant', connections: 1 },
  { name: `c=50 ${MODEL_DELAY_MS} ms`, upstream: 'model', connections: 50 },
  { name: 'c=50 instant (saturation)', upstream: 'instant', connections: 50 },
] as const;

type CaseName = (typeof CASES)[number]['name'];

interface CaseFigures {
  direct: Measured;
  portkey: Measured;
  proofpane: Measured;
  seconds: number;
  cpuMsPerCall: number;
  /** The gateway process's CPU per second with no traffic, measured before the cases. */
  idleCpuMsPerS: number;
  portkeyCpuMsPerCall: number | undefined;
}

/** The issue's targets per driver and case; each is printed with whether this run met it. */
function targetsFor(driver: string, name: CaseName, f: CaseFigures) {
  const rate = (m: Measured) => m.count / f.seconds;
  const added = (m: Measured, p: 'p50' | 'p99') => m[p] - f.direct[p];
  const list: { metric: string; target: string; pass: boolean }[] = [];
  const pg = driver === 'postgres';
  if (name === 'c=1 instant') {
    const limit = pg ? 2 : 3;
    list.push({
      metric: 'added latency p50',
      target: `<= +${limit} ms`,
      pass: added(f.proofpane, 'p50') <= limit,
    });
  } else if (name === `c=50 ${MODEL_DELAY_MS} ms`) {
    const limit = pg ? 5 : 10;
    const share = pg ? 0.95 : 0.9;
    list.push(
      { metric: 'added latency p50', target: `<= +${limit} ms`, pass: added(f.proofpane, 'p50') <= limit },
      {
        metric: 'calls/s vs direct',
        target: `>= ${share}x`,
        pass: rate(f.proofpane) >= share * rate(f.direct),
      },
    );
    if (pg)
      list.push({ metric: 'added latency p99', target: '<= +25 ms', pass: added(f.proofpane, 'p99') <= 25 });
  } else if (pg) {
    list.push(
      { metric: 'calls/s vs Portkey', target: '>= 1.5x', pass: rate(f.proofpane) >= 1.5 * rate(f.portkey) },
      { metric: 'gateway CPU per call', target: '<= 1 ms', pass: f.cpuMsPerCall <= 1 },
    );
  }
  return list;
}

function caseResults(driver: string, name: CaseName, f: CaseFigures): BenchResult[] {
  const label = `${driver} ${name}`;
  const row = (metric: string, value: number, unit: string, extra: Partial<BenchResult> = {}) => ({
    bench: 'gateway',
    case: label,
    metric,
    value: Number(value.toFixed(2)),
    unit,
    ...extra,
  });
  const judged = new Map(targetsFor(driver, name, f).map((t) => [t.metric, t]));
  const judge = (metric: string) => {
    const t = judged.get(metric);
    return t ? { target: t.target, pass: t.pass } : {};
  };
  const rate = (m: Measured) => m.count / f.seconds;
  const out: BenchResult[] = [
    row('direct p50', f.direct.p50, 'ms'),
    row('direct p99', f.direct.p99, 'ms'),
    row('direct calls/s', rate(f.direct), 'calls/s'),
    row('Portkey added p50', f.portkey.p50 - f.direct.p50, 'ms'),
    row('Portkey added p99', f.portkey.p99 - f.direct.p99, 'ms'),
    row('Portkey calls/s', rate(f.portkey), 'calls/s'),
    row('Proofpane added p50', f.proofpane.p50 - f.direct.p50, 'ms', judge('added latency p50')),
    row('Proofpane added p99', f.proofpane.p99 - f.direct.p99, 'ms', judge('added latency p99')),
    row('Proofpane calls/s', rate(f.proofpane), 'calls/s', {
      baseline: Number(rate(f.direct).toFixed(2)),
      ...judge('calls/s vs direct'),
    }),
    row(
      'Proofpane calls/s / Portkey',
      rate(f.proofpane) / Math.max(1e-9, rate(f.portkey)),
      'x',
      judge('calls/s vs Portkey'),
    ),
    row('Proofpane CPU per call', f.cpuMsPerCall, 'ms', judge('gateway CPU per call')),
    row('Proofpane idle CPU per second', f.idleCpuMsPerS, 'ms/s'),
  ];
  if (f.portkeyCpuMsPerCall !== undefined) out.push(row('Portkey CPU per call', f.portkeyCpuMsPerCall, 'ms'));
  const parts = split(f.proofpane);
  if (parts)
    for (const [stage, ms] of Object.entries(parts)) out.push(row(`Proofpane ${stage} p50`, ms, 'ms'));
  return out;
}

const fmtMs = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;

/** One line per case: direct, Portkey and Proofpane side by side. */
function sideBySide(driver: string, name: CaseName, f: CaseFigures): string {
  const rate = (m: Measured) => Math.round(m.count / f.seconds);
  const errs = (m: Measured) => (m.errors > 0 ? ` ${m.errors} errors` : '');
  return [
    `${driver.padEnd(8)} ${name.padEnd(26)}`,
    `direct p50 ${f.direct.p50.toFixed(2)} p99 ${f.direct.p99.toFixed(2)} ms ${rate(f.direct)}/s${errs(f.direct)}`,
    `| Portkey p50 ${fmtMs(f.portkey.p50 - f.direct.p50)} p99 ${fmtMs(f.portkey.p99 - f.direct.p99)} ms ${rate(f.portkey)}/s${errs(f.portkey)}${f.portkeyCpuMsPerCall === undefined ? '' : ` cpu ${f.portkeyCpuMsPerCall.toFixed(2)} ms/call`}`,
    `| Proofpane p50 ${fmtMs(f.proofpane.p50 - f.direct.p50)} p99 ${fmtMs(f.proofpane.p99 - f.direct.p99)} ms ${rate(f.proofpane)}/s${errs(f.proofpane)} cpu ${f.cpuMsPerCall.toFixed(2)} ms/call (idle ${f.idleCpuMsPerS.toFixed(1)} ms/s)`,
    stageLine(f.proofpane),
  ].join(' ');
}

/** The Proofpane call's p50 split by stage, e.g. `[gates 0.21 provider 1.10 commit 2.40 handler 0.50 outside 0.90 ms]`. */
function stageLine(m: Measured): string {
  const parts = split(m);
  if (!parts) return '';
  return `[${Object.entries(parts)
    .map(([stage, ms]) => `${stage} ${ms.toFixed(2)}`)
    .join(' ')} ms]`;
}

const bench: Bench = async (ctx) => {
  const results: BenchResult[] = [];
  const lines: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'proofpane-bench-gw-'));
  const upstreams = {
    instant: await startUpstream('instant', 'gpt-4o-mini', 0),
    model: await startUpstream(`${MODEL_DELAY_MS} ms`, 'deepseek-chat', MODEL_DELAY_MS),
  };
  const portkey = await startPortkey();
  const seconds = ctx.quick ? 4 : 15;
  ctx.log(
    `load: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} on ${availableParallelism()} cores (figures are noisy under load)`,
  );
  try {
    // BENCH_GATEWAY_TARGETS=postgres measures one database only (the PGlite soak alone takes 10 min).
    const only = process.env.BENCH_GATEWAY_TARGETS?.split(',');
    for (const target of targets(ctx, dir).filter((t) => !only || only.includes(t.name))) {
      const opened = await target.open();
      const { database } = opened;
      const gateway = await startGateway(opened, upstreams, join(dir, target.name));
      try {
        // CPU the serving process burns with no traffic (loops, polling readers, the projections thread):
        // per second, after a short warm-up call, over IDLE_SECONDS.
        await measure({ ...gateway, model: upstreams.instant.model, connections: 1, seconds: 1 });
        const idleCpuMsPerS = await idleCpu(ctx.quick ? 3 : 10);
        const floor = await commitFloor(database);
        const floorLine = `${target.name.padEnd(8)} durable commit floor: one INSERT + COMMIT p50 ${floor.p50.toFixed(2)} ms, p99 ${floor.p99.toFixed(2)} ms (what committing before answering adds at c=1, before any other work)`;
        lines.push(floorLine);
        ctx.log(floorLine);
        results.push(
          {
            bench: 'gateway',
            case: `${target.name} commit floor`,
            metric: 'INSERT + COMMIT p50',
            value: Number(floor.p50.toFixed(2)),
            unit: 'ms',
          },
          {
            bench: 'gateway',
            case: `${target.name} commit floor`,
            metric: 'INSERT + COMMIT p99',
            value: Number(floor.p99.toFixed(2)),
            unit: 'ms',
          },
        );
        for (const { name, upstream: which, connections } of CASES) {
          const upstream = upstreams[which];
          const direct = {
            url: `${upstream.url}/v1/chat/completions`,
            headers: { authorization: 'Bearer sk-bench' },
            model: upstream.model,
          };
          const viaPortkey = {
            url: `http://127.0.0.1:${portkey.port}/v1/chat/completions`,
            headers: {
              authorization: 'Bearer sk-bench',
              'x-portkey-provider': 'openai',
              'x-portkey-custom-host': `${upstream.url}/v1`,
            },
            model: upstream.model,
          };
          const governed = { ...gateway, model: upstream.model };
          await measure({ ...governed, connections, seconds: 1 });
          await measure({ ...viaPortkey, connections, seconds: 1 });
          const base = await measure({ ...direct, connections, seconds });
          const pkCpu0 = processCpuMs(portkey.pid);
          const pk = await measure({ ...viaPortkey, connections, seconds });
          const pkCpu1 = processCpuMs(portkey.pid);
          const cpu0 = ownCpuMs();
          const through = await measure({ ...governed, connections, seconds });
          const cpuMs = ownCpuMs() - cpu0;
          const figures: CaseFigures = {
            direct: base,
            portkey: pk,
            proofpane: through,
            seconds,
            cpuMsPerCall: cpuMs / Math.max(1, through.count + through.errors),
            idleCpuMsPerS,
            portkeyCpuMsPerCall:
              pkCpu0 === undefined || pkCpu1 === undefined
                ? undefined
                : (pkCpu1 - pkCpu0) / Math.max(1, pk.count + pk.errors),
          };
          const line = sideBySide(target.name, name, figures);
          lines.push(line);
          ctx.log(line);
          results.push(...caseResults(target.name, name, figures));
        }
        if (target.name === 'pglite') {
          const soakSeconds = ctx.quick ? 20 : 600;
          const s = await soak({
            ...gateway,
            model: upstreams.instant.model,
            seconds: soakSeconds,
            log: ctx.log,
          });
          ctx.log(
            `${target.name} soak ${soakSeconds}s at 100 req/s: ${s.requests} ok, ${s.errors} errors, RSS ${s.endMb.toFixed(0)} MB`,
          );
          results.push(
            {
              bench: 'gateway',
              case: `${target.name} soak ${soakSeconds}s @100 req/s`,
              metric: 'RSS drift (after full GC)',
              value: Number(s.driftPct.toFixed(1)),
              unit: '%',
              target: '<= 10 %',
              pass: Math.abs(s.driftPct) <= 10,
            },
            {
              bench: 'gateway',
              case: `${target.name} soak ${soakSeconds}s @100 req/s`,
              metric: 'calls/s sustained',
              value: Math.round(s.requests / soakSeconds),
              unit: 'calls/s',
            },
          );
        }
      } finally {
        await gateway.close();
        await database.close();
        await target.cleanup();
      }
    }
  } finally {
    upstreams.instant.stop();
    upstreams.model.stop();
    portkey.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  ctx.log(
    [
      'side by side (added = minus direct; Proofpane CPU from its own process.cpuUsage, idle: per second with no traffic):',
      ...lines,
    ].join('\n'),
  );
  return results;
};

export default bench;
