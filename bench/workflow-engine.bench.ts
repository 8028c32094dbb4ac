import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type PinnedWorkflow,
  type StepExecutor,
  startWorkflowRun,
  WorkflowEngine,
  type WorkflowGraph,
  workerIdentity,
} from '@proofpane/commands';
import { type Database, type EventStore, openDatabase, PostgresEventStore } from '@proofpane/core';
import pg from 'pg';
import type { Bench, BenchContext, BenchResult } from './report.js';
import { percentile } from './support.js';

// The workflow engine's own cost: steps whose skill answers at once (no model call), driven by the engine
// of this process against a real store, each figure printed beside the same store's plain append figure.

const actor = { kind: 'user' as const, id: 'usr_bench' };
const round = (n: number) => Math.round(n * 1000) / 1000;

interface Target {
  name: 'pglite' | 'postgres';
  url?: string;
  open(): Promise<Database>;
  cleanup(): Promise<void>;
}

function targets(ctx: BenchContext): Target[] {
  const dir = mkdtempSync(join(tmpdir(), 'proofpane-bench-wf-'));
  const list: Target[] = [
    {
      name: 'pglite',
      open: () => openDatabase({ dataDir: join(dir, 'pglite') }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    },
  ];
  if (ctx.databaseUrl) {
    const name = `pp_bench_wf_${Date.now().toString(36)}`;
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: ctx.databaseUrl });
      await client.connect();
      await client.query(statement);
      await client.end();
    };
    const url = new URL(ctx.databaseUrl);
    url.pathname = `/${name}`;
    list.push({
      name: 'postgres',
      url: url.toString(),
      open: async () => {
        await admin(`CREATE DATABASE ${name}`);
        return openDatabase({ url: url.toString(), poolSize: 10 });
      },
      cleanup: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    });
  } else ctx.log('DATABASE_URL unset: PostgreSQL figures skipped');
  return list;
}

/** trigger → `steps` skill nodes in a row. */
function chain(steps: number): PinnedWorkflow {
  const graph: WorkflowGraph = {
    nodes: [
      { id: 'start', type: 'trigger', config: { kind: 'manual' } },
      ...Array.from({ length: steps }, (_, i) => ({
        id: `s${i}`,
        type: 'skill' as const,
        config: { skill: 'intake.classify_use_case', input: '$.input' },
      })),
    ],
    edges: Array.from({ length: steps }, (_, i) => ({ from: i === 0 ? 'start' : `s${i - 1}`, to: `s${i}` })),
  };
  return { id: `wf_bench_${steps}`, name: 'bench', version: 1, sha256: 'a'.repeat(64), graph };
}

function engineOn(store: EventStore, workflow: PinnedWorkflow, skill: StepExecutor) {
  return new WorkflowEngine({
    store,
    workflows: { find: async () => workflow },
    executors: { skill },
    index: { candidates: async () => [] },
    identity: workerIdentity({ workerId: 'bench', singleProcess: false }),
    sweepMs: 60_000,
    maxActiveRuns: 10_000,
  });
}

/** Plain appends: one event per append at the subject's version, the engine's unit of work. */
async function plainAppends(store: EventStore, org: string, lanes: number, perLane: number) {
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = 0; i < perLane; i++) {
        const t0 = performance.now();
        await store.append({
          org,
          events: [
            {
              type: 'cp.workflow.run.released',
              subject: `run/plain_${lane}`,
              data: { holder: 'bench' },
              actor,
            },
          ],
          expectedVersions: { [`run/plain_${lane}`]: i },
        });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return {
    perSecond: (lanes * perLane) / ((performance.now() - started) / 1000),
    p50: percentile(latencies, 50),
  };
}

async function overheadPerStep(store: EventStore, quick: boolean) {
  const steps = quick ? 20 : 50;
  const workflow = chain(steps);
  const returned: number[] = [];
  const called: number[] = [];
  const engine = engineOn(store, workflow, async () => {
    called.push(performance.now());
    const output = { ok: true };
    returned.push(performance.now());
    return { status: 'completed', output };
  });
  const overheads: number[] = [];
  for (let run = 0; run < (quick ? 3 : 6); run++) {
    called.length = 0;
    returned.length = 0;
    const { runId } = await startWorkflowRun({
      store,
      org: 'org_bench_overhead',
      actor,
      workflow,
      input: {},
      trigger: { kind: 'manual' },
      now: new Date(),
    });
    engine.kick('org_bench_overhead', runId);
    await engine.idle();
    // From one skill's answer to the next skill's call, less nothing: the skill itself answers at once.
    for (let i = 1; i < called.length; i++) overheads.push(called[i]! - returned[i - 1]!);
  }
  await engine.stop();
  return { p50: percentile(overheads, 50), p99: percentile(overheads, 99) };
}

async function throughput(store: EventStore, quick: boolean) {
  const steps = quick ? 5 : 10;
  const runs = 200;
  const workflow = chain(steps);
  const engine = engineOn(store, workflow, async () => ({ status: 'completed', output: { ok: true } }));
  const org = 'org_bench_throughput';
  const ids: string[] = [];
  for (let i = 0; i < runs; i++)
    ids.push(
      (
        await startWorkflowRun({
          store,
          org,
          actor,
          workflow,
          input: {},
          trigger: { kind: 'manual' },
          now: new Date(),
        })
      ).runId,
    );
  const started = performance.now();
  for (const runId of ids) engine.kick(org, runId);
  await engine.idle();
  const seconds = (performance.now() - started) / 1000;
  await engine.stop();
  let completed = 0;
  for (const runId of ids)
    completed += (await store.readSubject({ org, subject: `run/${runId}` })).filter(
      (e) => e.type === 'cp.workflow.step.completed',
    ).length;
  return { stepsPerSecond: completed / seconds, completed, expected: runs * steps };
}

const serveChild = fileURLToPath(new URL('../server/src/gateway/testing/serve-child.ts', import.meta.url));

function child(env: Record<string, string>) {
  const proc = spawn(process.execPath, ['--import', 'tsx', serveChild], {
    env: { ...process.env, LOG_LEVEL: 'silent', PROOFPANE_PRICE_REFRESH: 'off', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    proc.on('exit', (code) => reject(new Error(`the server exited (${code})`)));
  });
  return {
    url,
    kill: async () => {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

async function json<T>(
  url: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    body: init.body === undefined ? null : JSON.stringify(init.body),
  });
  return (await res.json()) as T;
}

/** SIGKILLs a server with runs mid-step, starts it again, and times its first resumed step after /healthz. */
async function resumeAfterRestart(target: Target, dataDir: string): Promise<number> {
  const env = {
    PROOFPANE_DATA_DIR: dataDir,
    PROOFPANE_WORKER_ID: 'bench-resume',
    PROOFPANE_DEMO_LATENCY_MS: '2000',
    PROOFPANE_WORKFLOW_SWEEP_MS: '100',
    PROOFPANE_SCRYPT_COST: '10',
    PROOFPANE_CHECKPOINT_INTERVAL_S: '0',
    PROOFPANE_JWT_SECRET: 'a-bench-secret-that-is-long-enough-for-hs256',
    ...(target.url ? { DATABASE_URL: target.url } : {}),
  };
  let server = child(env);
  const base = await server.url;
  const registered = await json<{ token: string }>(`${base}/api/auth/register`, {
    method: 'POST',
    body: {
      email: `resume-${Date.now()}@example.test`,
      password: 'quartz lantern meadow 7',
      orgName: 'Resume',
    },
  });
  const { token } = registered;
  const { id } = await json<{ id: string }>(`${base}/api/workflows`, {
    method: 'POST',
    token,
    body: {
      name: 'resume',
      graph: {
        nodes: [
          { id: 'start', type: 'trigger', config: { kind: 'manual' } },
          {
            id: 'first',
            type: 'skill',
            config: { skill: 'intake.classify_use_case', input: { name: 'a', description: 'a chatbot' } },
          },
        ],
        edges: [{ from: 'start', to: 'first' }],
      },
    },
  });
  await json(`${base}/api/workflows/${id}/publish`, { method: 'POST', token });
  const runs: string[] = [];
  for (let i = 0; i < 10; i++)
    runs.push(
      (await json<{ runId: string }>(`${base}/api/workflows/${id}/runs`, { method: 'POST', token, body: {} }))
        .runId,
    );
  type View = { steps: { attempts: number }[] };
  const attempts = async (url: string) =>
    Promise.all(
      runs.map(
        async (r) => (await json<View>(`${url}/api/workflow-runs/${r}`, { token })).steps[0]?.attempts ?? 0,
      ),
    );
  while ((await attempts(base)).some((a) => a < 1)) await new Promise((r) => setTimeout(r, 20));
  await server.kill();
  server = child(env);
  const again = await server.url;
  for (;;) {
    const res = await fetch(`${again}/healthz`).catch(() => undefined);
    if (res?.ok) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const healthy = performance.now();
  while (!(await attempts(again)).some((a) => a >= 2)) await new Promise((r) => setTimeout(r, 5));
  const resumed = performance.now() - healthy;
  await server.kill();
  return resumed;
}

const bench: Bench = async (ctx) => {
  const results: BenchResult[] = [];
  for (const target of targets(ctx)) {
    const database = await target.open();
    const store = await PostgresEventStore.open({ database });
    const low = await plainAppends(store, 'org_bench_plain_low', 1, ctx.quick ? 200 : 1_000);
    const loaded = await plainAppends(store, 'org_bench_plain_200', 200, ctx.quick ? 5 : 20);
    const overhead = await overheadPerStep(store, ctx.quick);
    const flow = await throughput(store, ctx.quick);
    await store.close();
    await database.close();
    const dataDir = mkdtempSync(join(tmpdir(), 'proofpane-bench-resume-'));
    const resumed = await resumeAfterRestart(target, dataDir);
    rmSync(dataDir, { recursive: true, force: true });
    await target.cleanup();

    ctx.log(
      `${target.name}: step overhead p50 ${round(overhead.p50)} ms (append p50 ${round(low.p50)} ms), ` +
        `${Math.round(flow.stepsPerSecond)} steps/s over ${flow.completed}/${flow.expected} steps ` +
        `(plain appends ${Math.round(loaded.perSecond)}/s with 200 writers), resumed ${Math.round(resumed)} ms after /healthz`,
    );
    results.push(
      {
        bench: 'workflow-engine',
        case: `${target.name} step overhead, one run at a time (baseline: one plain append)`,
        metric: 'p50',
        value: round(overhead.p50),
        baseline: round(low.p50),
        unit: 'ms',
        ...(target.name === 'postgres' ? { target: '<= 3 ms', pass: overhead.p50 <= 3 } : {}),
      },
      {
        bench: 'workflow-engine',
        case: `${target.name} step overhead, one run at a time`,
        metric: 'p99',
        value: round(overhead.p99),
        unit: 'ms',
      },
      {
        bench: 'workflow-engine',
        case: `${target.name} 200 runs in flight (baseline: plain appends/s, 200 writers)`,
        metric: 'steps/s',
        value: Math.round(flow.stepsPerSecond),
        baseline: Math.round(loaded.perSecond),
        unit: '/s',
        target: '>= 1,000',
        pass: flow.stepsPerSecond >= 1_000 && flow.completed === flow.expected,
      },
      {
        bench: 'workflow-engine',
        case: `${target.name} plain append rate, one writer`,
        metric: 'appends/s',
        value: Math.round(low.perSecond),
        unit: '/s',
      },
      {
        bench: 'workflow-engine',
        case: `${target.name} first resumed step after /healthz (SIGKILL mid-step, same worker id)`,
        metric: 'time',
        value: Math.round(resumed),
        unit: 'ms',
        target: '<= 2,000 ms',
        pass: resumed <= 2_000,
      },
    );
  }
  return results;
};

export default bench;
