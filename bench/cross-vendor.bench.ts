import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CrossVendorSuite,
  createCrossVendorSuite,
  runSkill,
  startCrossVendorRun,
} from '@proofpane/commands';
import { openDatabase, PostgresEventStore } from '@proofpane/core';
import {
  type FakeVendor,
  startFakeAnthropic,
  startFakeGemini,
  startFakeOpenAI,
} from '../commands/src/testing/index.js';
import { createTestGateway } from '../commands/src/testing/test-gateway.js';
import type { Bench, BenchResult } from './report.js';

// A 50-case × 3-provider suite on fake OpenAI, Anthropic and Gemini servers that answer at once, through
// the whole governed call (policy, DLP, budget, audit) on an embedded PGlite store. Target: the run ends
// within 2 s plus, per case, the slowest provider's time (its governed call, as the answer records it).

const actor = { kind: 'user' as const, id: 'usr_bench' };
const answer = { text: '{"approve":true,"reason":"within the window"}', usage: { input: 30, output: 12 } };

const bench: Bench = async (ctx) => {
  const cases = ctx.quick ? 20 : 50;
  const dir = mkdtempSync(join(tmpdir(), 'proofpane-bench-cv-'));
  const database = await openDatabase({ dataDir: join(dir, 'pglite') });
  const store = await PostgresEventStore.open({ database });
  const vendors: FakeVendor[] = [
    await startFakeOpenAI({ fallback: answer }),
    await startFakeAnthropic({ fallback: answer }),
    await startFakeGemini({ fallback: answer }),
  ];
  const [openai, anthropic, gemini] = vendors as [FakeVendor, FakeVendor, FakeVendor];
  const results: BenchResult[] = [];
  try {
    const { gateway } = await createTestGateway({
      store,
      db: database.db,
      providers: {
        openai: { apiKey: 'sk-bench', baseURL: `${openai.url}/v1` },
        anthropic: { apiKey: 'sk-ant-bench', baseURL: `${anthropic.url}/v1` },
        gemini: { apiKey: 'gm-bench', baseURL: `${gemini.url}/v1beta` },
      },
    });
    const deps = {
      store,
      gateway,
      runSkill: (r: Parameters<typeof runSkill>[1]) => runSkill({ store, gateway }, r),
    };
    for (const concurrency of [4, 1]) {
      const org = `org_bench_cv_${concurrency}`;
      const suite: CrossVendorSuite = await createCrossVendorSuite({
        store,
        org,
        actor,
        suite: {
          name: `bench ${cases} cases`,
          cases: Array.from({ length: cases }, (_, i) => ({
            input: [{ role: 'user' as const, content: `Refund order ${i}? Answer as JSON.` }],
            decisionFields: ['$.approve'],
            outputSchema: {
              type: 'object',
              required: ['approve'],
              properties: { approve: { type: 'boolean' }, reason: { type: 'string' } },
            },
          })),
          providers: [
            { provider: 'openai', model: 'gpt-4o-mini' },
            { provider: 'anthropic', model: 'claude-sonnet-4-5' },
            { provider: 'gemini', model: 'gemini-2.5-flash' },
          ],
          judge: null,
          schedule: null,
        },
      });
      const started = performance.now();
      const { done } = await startCrossVendorRun(deps, { org, actor, suite, concurrency });
      const summary = await done;
      const wallMs = performance.now() - started;
      if (summary.status !== 'succeeded' || summary.info !== cases * 3)
        throw new Error(`the bench run did not grade every pair info: ${JSON.stringify(summary)}`);
      const slowest = new Map<number, number>();
      for (const e of await store.readOrg({ org })) {
        if (e.type !== 'cp.cross_vendor.answer.recorded') continue;
        const d = e.data as { caseIndex: number; latencyMs: number };
        slowest.set(d.caseIndex, Math.max(slowest.get(d.caseIndex) ?? 0, d.latencyMs));
      }
      const providerMs = [...slowest.values()].reduce((a, b) => a + b, 0);
      const targetMs = 2_000 + providerMs;
      const label = `${cases} cases × 3 providers, ${concurrency} case${concurrency > 1 ? 's' : ''} in flight`;
      ctx.log(
        `${label}: wall ${wallMs.toFixed(0)} ms, slowest provider per case ${(providerMs / cases).toFixed(1)} ms ` +
          `(sum ${providerMs} ms), target ${targetMs} ms: ${wallMs <= targetMs ? 'met' : 'NOT met'}`,
      );
      results.push(
        {
          bench: 'cross-vendor',
          case: label,
          metric: 'wall time',
          value: Math.round(wallMs),
          unit: 'ms',
          target: `≤ 2 s + Σ slowest provider per case (${targetMs} ms)`,
          pass: wallMs <= targetMs,
        },
        {
          bench: 'cross-vendor',
          case: label,
          metric: 'slowest provider per case (mean)',
          value: Math.round((providerMs / cases) * 10) / 10,
          unit: 'ms',
        },
      );
    }
  } finally {
    await store.close();
    await database.close();
    await Promise.all(vendors.map((v) => v.close()));
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
};

export default bench;
