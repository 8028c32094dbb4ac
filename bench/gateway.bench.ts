import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '@proofpane/core';
import autocannon from 'autocannon';
import pg from 'pg';
import { type FakeVendor, startFakeOpenAI } from '../commands/src/testing/index.js';
import { buildApp } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import { openRuntime } from '../server/src/runtime/runtime.js';
import type { Bench, BenchContext, BenchResult } from './report.js';

// Gateway overhead: the same chat completion sent straight to a local fake OpenAI server and through the
// governed gateway (auth, policy + DLP, budget reservation, audit + settlement), in the same run.

const BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'Summarise the quarterly report for jane@example.com in two lines.' }],
});

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

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Runs autocannon and keeps every 2xx response time at full (sub-millisecond) resolution. */
async function measure(options: {
  url: string;
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  overallRate?: number;
}): Promise<{ p50: number; p99: number; count: number; errors: number }> {
  const times: number[] = [];
  let errors = 0;
  await new Promise<void>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        body: BODY,
        headers: { 'content-type': 'application/json', ...options.headers },
        connections: options.connections,
        duration: options.seconds,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
      },
      (error) => (error ? reject(error) : resolve()),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) times.push(ms);
      else errors += 1;
    });
  });
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), count: times.length, errors };
}

async function startGateway(database: Database, upstream: FakeVendor, dataDir: string) {
  const config = loadConfig({
    PROOFPANE_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    PROOFPANE_SCRYPT_COST: '10',
    PROOFPANE_AUTH_RATE_LIMIT: '100000',
    PROOFPANE_PRICE_REFRESH: 'off',
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: `${upstream.url}/v1`,
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

async function soak(options: {
  ctx: BenchContext;
  url: string;
  headers: Record<string, string>;
  upstream: FakeVendor;
  seconds: number;
}) {
  const samples: number[] = [];
  const timer = setInterval(() => {
    samples.push(process.memoryUsage().rss);
    options.upstream.requests.splice(0);
  }, 1000);
  const run = await measure({
    url: options.url,
    headers: options.headers,
    connections: 10,
    seconds: options.seconds,
    overallRate: 100,
  });
  clearInterval(timer);
  const tenth = Math.max(1, Math.floor(samples.length / 10));
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  // After a warm-up tenth, compare the second tenth with the last one.
  const start = avg(samples.slice(tenth, 2 * tenth));
  const end = avg(samples.slice(-tenth));
  return {
    driftPct: ((end - start) / start) * 100,
    requests: run.count,
    errors: run.errors,
    endMb: end / 2 ** 20,
  };
}

const bench: Bench = async (ctx) => {
  const results: BenchResult[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'proofpane-bench-gw-'));
  const upstream = await startFakeOpenAI({
    fallback: { text: 'A short two-line summary.', usage: { input: 30, output: 8 } },
  });
  const seconds = ctx.quick ? 4 : 20;
  const direct = {
    url: `${upstream.url}/v1/chat/completions`,
    headers: { authorization: 'Bearer sk-bench' },
  };
  try {
    for (const target of targets(ctx, dir)) {
      const database = await target.open();
      const gateway = await startGateway(database, upstream, join(dir, target.name));
      try {
        for (const connections of [1, 50]) {
          await measure({ ...gateway, connections, seconds: 1 });
          const base = await measure({ ...direct, connections, seconds });
          const governed = await measure({ ...gateway, connections, seconds });
          upstream.requests.splice(0);
          const addedP50 = governed.p50 - base.p50;
          const addedP99 = governed.p99 - base.p99;
          ctx.log(
            `${target.name} c=${connections}: direct p50 ${base.p50.toFixed(2)} p99 ${base.p99.toFixed(2)} ms; governed p50 ${governed.p50.toFixed(2)} p99 ${governed.p99.toFixed(2)} ms (${governed.count} ok, ${governed.errors} errors)`,
          );
          const at50 = connections === 50;
          results.push(
            {
              bench: 'gateway',
              case: `${target.name} concurrency=${connections}`,
              metric: 'added latency p50',
              value: Number(addedP50.toFixed(2)),
              unit: 'ms',
              ...(at50 ? { target: '<= 2 ms', pass: addedP50 <= 2 } : {}),
            },
            {
              bench: 'gateway',
              case: `${target.name} concurrency=${connections}`,
              metric: 'added latency p99',
              value: Number(addedP99.toFixed(2)),
              unit: 'ms',
              ...(at50 ? { target: '<= 10 ms', pass: addedP99 <= 10 } : {}),
            },
          );
        }
        if (target.name === 'pglite') {
          const soakSeconds = ctx.quick ? 20 : 600;
          const s = await soak({ ctx, ...gateway, upstream, seconds: soakSeconds });
          ctx.log(
            `${target.name} soak ${soakSeconds}s at 100 req/s: ${s.requests} ok, ${s.errors} errors, RSS ${s.endMb.toFixed(0)} MB`,
          );
          results.push({
            bench: 'gateway',
            case: `${target.name} soak ${soakSeconds}s @100 req/s`,
            metric: 'RSS drift',
            value: Number(s.driftPct.toFixed(1)),
            unit: '%',
            target: '<= 10 %',
            pass: Math.abs(s.driftPct) <= 10,
          });
        }
      } finally {
        await gateway.close();
        await database.close();
        await target.cleanup();
      }
    }
  } finally {
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
};

export default bench;
