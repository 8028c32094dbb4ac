import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clusterByMeaning,
  type GovernedCall,
  gatewayCall,
  type ModelCallInput,
  runConsensus,
} from '@proofpane/commands';
import { type Database, openDatabase, PostgresEventStore } from '@proofpane/core';
import pg from 'pg';
import { createTestGateway, startFakeOpenAI } from '../commands/src/testing/index.js';
import type { Bench, BenchResult } from './report.js';
import { percentile } from './support.js';

// Consensus fan-out overhead: a consensus of five agents whose fake vendor answers at once, through the
// governed gateway, minus the slowest of its own agent calls (timed around each call in the same run).
// What is left is the primitive's cost: the run's events and the parallel orchestration.

const actor = { kind: 'user' as const, id: 'usr_bench' };
const round = (n: number) => Math.round(n * 1000) / 1000;

/** Times every call; `slowest` is the longest since the last reset. */
function timed(call: GovernedCall) {
  let slowest = 0;
  const wrapped: GovernedCall = async (input) => {
    const t0 = performance.now();
    try {
      return await call(input);
    } finally {
      slowest = Math.max(slowest, performance.now() - t0);
    }
  };
  return {
    call: wrapped,
    take: () => {
      const s = slowest;
      slowest = 0;
      return s;
    },
  };
}

/** Judge calls the clustering makes for N answers spread over k meanings, against the bound N × k × 2. */
async function judgeCalls(n: number, k: number) {
  let calls = 0;
  const call: GovernedCall = async (input: ModelCallInput) => {
    calls++;
    const text = String(input.messages[0]?.content);
    const key = (label: string) => new RegExp(`${label}: meaning (\\d+)`).exec(text)?.[1];
    return {
      text: JSON.stringify({ entails: key('Premise') === key('Hypothesis') }),
      costMicros: 0,
      requestId: 'r',
    };
  };
  const answers = Array.from({ length: n }, (_, i) => ({
    agentIndex: i,
    text: `meaning ${i % k} (answer ${i})`,
  }));
  const result = await clusterByMeaning({
    answers,
    question: 'q',
    judge: { provider: 'demo', model: 'demo' },
    call,
  });
  return { calls, clusters: result.clusters.length, bound: n * k * 2 };
}

/** The fan-out overhead on one store: total consensus time minus its slowest agent call, per run. */
async function fanOut(database: Database, quick: boolean) {
  const store = await PostgresEventStore.open({ database });
  const fake = await startFakeOpenAI({ fallback: { text: 'Paris', usage: { input: 10, output: 2 } } });
  const { gateway } = await createTestGateway({
    store,
    db: database.db,
    providers: { openai: { apiKey: 'sk-bench', baseURL: `${fake.url}/v1` } },
  });
  const org = 'org_bench_multi_agent';
  const clock = timed(gatewayCall({ gateway, org, actor }));
  const agents = Array.from({ length: 5 }, () => ({ provider: 'openai' as const, model: 'gpt-4o-mini' }));
  const consensus = () =>
    runConsensus(
      { store, call: clock.call },
      {
        org,
        actor,
        messages: [{ role: 'user', content: 'Capital of France?' }],
        n: 5,
        method: 'vote',
        agents,
        threshold: 0.6,
      },
    );
  for (let i = 0; i < 20; i++) await consensus();
  const runs = quick ? 50 : 300;
  const overheads: number[] = [];
  const slowest: number[] = [];
  for (let i = 0; i < runs; i++) {
    clock.take();
    const t0 = performance.now();
    await consensus();
    const total = performance.now() - t0;
    const slow = clock.take();
    slowest.push(slow);
    overheads.push(total - slow);
  }
  await fake.close();
  await store.close();
  return { overheads, slowest, runs };
}

const bench: Bench = async (ctx) => {
  const results: BenchResult[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'proofpane-bench-ma-'));
  const stores: { name: string; open: () => Promise<Database>; cleanup: () => Promise<void> }[] = [
    {
      name: 'pglite',
      open: () => openDatabase({ dataDir: join(dir, 'pglite') }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    },
  ];
  if (ctx.databaseUrl) {
    const name = `pp_bench_ma_${Date.now().toString(36)}`;
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: ctx.databaseUrl });
      await client.connect();
      await client.query(statement);
      await client.end();
    };
    const url = new URL(ctx.databaseUrl);
    url.pathname = `/${name}`;
    stores.push({
      name: 'postgres',
      open: async () => {
        await admin(`CREATE DATABASE ${name}`);
        return openDatabase({ url: url.toString(), poolSize: 10 });
      },
      cleanup: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    });
  } else ctx.log('DATABASE_URL unset: PostgreSQL figures skipped');

  for (const target of stores) {
    const database = await target.open();
    const { overheads, slowest, runs } = await fanOut(database, ctx.quick);
    await database.close();
    await target.cleanup();
    const p50 = percentile(overheads, 50);
    ctx.log(`multi-agent ${target.name}: fan-out overhead p50 ${round(p50)} ms over ${runs} consensus runs`);
    results.push(
      {
        bench: 'multi-agent',
        case: `${target.name} consensus fan-out overhead, n = 5, instant fake agents (baseline: slowest agent call)`,
        metric: 'p50',
        value: round(p50),
        baseline: round(percentile(slowest, 50)),
        unit: 'ms',
        target: '<= 10 ms',
        pass: p50 <= 10,
      },
      {
        bench: 'multi-agent',
        case: `${target.name} consensus fan-out overhead, n = 5, instant fake agents`,
        metric: 'p99',
        value: round(percentile(overheads, 99)),
        unit: 'ms',
      },
    );
  }
  for (const [n, k] of [
    [10, 1],
    [10, 2],
    [10, 5],
    [20, 4],
    [16, 16],
  ] as const) {
    const { calls, clusters, bound } = await judgeCalls(n, k);
    results.push({
      bench: 'multi-agent',
      case: `entropy judge calls, N = ${n}, k = ${clusters} clusters (baseline: bound 2 × N × k)`,
      metric: 'calls',
      value: calls,
      baseline: bound,
      unit: 'calls',
      target: `<= ${bound}`,
      pass: calls <= bound,
    });
  }
  return results;
};

export default bench;
