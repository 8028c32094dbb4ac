import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '@proofpane/core';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openRuntime } from '../server/src/runtime/runtime.js';
import type { Bench, BenchContext, BenchResult } from './report.js';
import { percentile, runBenchScript, startBenchScript } from './support.js';

// Gateway overhead: the same chat completion sent straight to a local fake upstream and through the
// governed gateway (auth, policy + DLP, budget reservation, audit + settlement), in the same run. The load
// generator and the fake upstreams run in their own processes; the gateway's process does only its work.
// Two upstreams: one that answers at once (the gateway saturated: added latency is its cost per call
// times the queue) and one that takes MODEL_DELAY_MS like a fast model (added latency at the load that
// 50 concurrent callers really put on a gateway).
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
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

function targets(ctx: BenchContext, dir: string): Target[] {
  const list: Target[] = [
    { name: 'pglite', open: () => openDatabase({ dataDir: join(dir, 'pglite') }), cleanup: async () => {} },
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
      return openDatabase({ url: url.toString(), poolSize: 20 });
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
  database: Database,
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

const CASES = [
  { upstream: 'instant', connections: 1 },
  { upstream: 'instant', connections: 50 },
  { upstream: 'model', connections: 1 },
  { upstream: 'model', connections: 50 },
] as const;

const bench: Bench = async (ctx) => {
  const results: BenchResult[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'proofpane-bench-gw-'));
  const upstreams = {
    instant: await startUpstream('instant', 'gpt-4o-mini', 0),
    model: await startUpstream(`${MODEL_DELAY_MS} ms`, 'deepseek-chat', MODEL_DELAY_MS),
  };
  const seconds = ctx.quick ? 4 : 15;
  try {
    for (const target of targets(ctx, dir)) {
      const database = await target.open();
      const gateway = await startGateway(database, upstreams, join(dir, target.name));
      try {
        for (const { upstream: which, connections } of CASES) {
          const upstream = upstreams[which];
          const direct = {
            url: `${upstream.url}/v1/chat/completions`,
            headers: { authorization: 'Bearer sk-bench' },
            model: upstream.model,
          };
          const governed = { ...gateway, model: upstream.model };
          await measure({ ...governed, connections, seconds: 1 });
          const base = await measure({ ...direct, connections, seconds });
          const through = await measure({ ...governed, connections, seconds });
          const addedP50 = through.p50 - base.p50;
          const addedP99 = through.p99 - base.p99;
          const label = `${target.name} upstream=${upstream.name} concurrency=${connections}`;
          ctx.log(
            `${label}: direct p50 ${base.p50.toFixed(2)} p99 ${base.p99.toFixed(2)} ms (${base.count} ok); governed p50 ${through.p50.toFixed(2)} p99 ${through.p99.toFixed(2)} ms (${through.count} ok, ${through.errors} errors)`,
          );
          const judged = connections === 50;
          results.push(
            {
              bench: 'gateway',
              case: label,
              metric: 'added latency p50',
              value: Number(addedP50.toFixed(2)),
              unit: 'ms',
              ...(judged ? { target: '<= 2 ms', pass: addedP50 <= 2 } : {}),
            },
            {
              bench: 'gateway',
              case: label,
              metric: 'added latency p99',
              value: Number(addedP99.toFixed(2)),
              unit: 'ms',
              ...(judged ? { target: '<= 10 ms', pass: addedP99 <= 10 } : {}),
            },
            {
              bench: 'gateway',
              case: label,
              metric: 'governed calls/s',
              value: Math.round(through.count / seconds),
              unit: 'calls/s',
            },
          );
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
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
};

export default bench;
