import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { L4_DEFAULTS, type L4Settings } from '../commands/src/quality/settings.js';
import { judgeOutput } from '../commands/src/quality-judge/judge-output.js';
import { CALIBRATION_SET } from '../commands/src/quality-judge/testing/calibration.js';
import { groundingVerdict } from '../commands/src/quality-judge/testing/grounding-vendor.js';
import { startFakeOpenAI } from '../commands/src/testing/index.js';
import { createTestGateway } from '../commands/src/testing/test-gateway.js';
import { openDatabase, PostgresEventStore } from '../core/src/index.js';
import type { Bench, BenchResult } from './report.js';
import { percentile } from './support.js';

// The L4 judge's calibration (docs/quality.md): agreement of its pass verdict with the labels of the
// calibration set, for the demo judge (offline, scores every dimension 3) and for a judge on a fake
// vendor that scores grounding by word overlap; and what the judge adds to a bare governed call.

const actor = { kind: 'system' as const, id: 'bench' };
const TASK = 'Summarise the incident record without adding facts.';
const round = (n: number) => Math.round(n * 1000) / 1000;

const bench: Bench = async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'proofpane-bench-judge-'));
  const database = await openDatabase({ dataDir: join(dir, 'pglite') });
  const store = await PostgresEventStore.open({ database });
  const vendor = await startFakeOpenAI({ respond: groundingVerdict });
  const results: BenchResult[] = [];
  try {
    const { gateway } = await createTestGateway({
      store,
      db: database.db,
      providers: { openai: { apiKey: 'sk-bench', baseURL: `${vendor.url}/v1` } },
    });
    const deps = { store, gateway };
    const judges: { label: string; settings: L4Settings }[] = [
      { label: 'demo judge (demo/demo, scores 3 everywhere)', settings: { ...L4_DEFAULTS, threshold: 4 } },
      {
        label: 'word-overlap judge on a fake vendor (openai/gpt-4o-mini)',
        settings: { ...L4_DEFAULTS, threshold: 3, judge: { provider: 'openai', model: 'gpt-4o-mini' } },
      },
    ];
    for (const { label, settings } of judges) {
      let agree = 0;
      let truePass = 0;
      let trueFail = 0;
      const latencies: number[] = [];
      for (const c of CALIBRATION_SET) {
        const started = performance.now();
        const verdict = await judgeOutput(deps, {
          org: 'org_bench_judge',
          actor,
          settings,
          task: TASK,
          input: c.input,
          output: c.output,
          chunks: [],
        });
        latencies.push(performance.now() - started);
        const said = verdict.passed ? 'pass' : 'fail';
        if (said === c.label) {
          agree++;
          if (said === 'pass') truePass++;
          else trueFail++;
        }
      }
      const n = CALIBRATION_SET.length;
      results.push(
        {
          bench: 'quality-judge',
          case: `${label}, ${n} labelled outputs (${truePass} passes and ${trueFail} failures agreed)`,
          metric: 'agreement',
          value: round(agree / n),
          unit: '',
        },
        {
          bench: 'quality-judge',
          case: `${label}, one verdict`,
          metric: 'p50 latency',
          value: Math.round(percentile(latencies, 50) * 10) / 10,
          unit: 'ms',
        },
      );
    }

    // The judge's own overhead: a verdict (a judge run, its events, validation, masking) against a bare
    // governed call to the same fake vendor with the same message size.
    const rounds = ctx.quick ? 20 : 60;
    const bare: number[] = [];
    const judged: number[] = [];
    const settings = { ...L4_DEFAULTS, judge: { provider: 'openai', model: 'gpt-4o-mini' } };
    const sample = CALIBRATION_SET[0]!;
    for (let i = 0; i < rounds; i++) {
      let started = performance.now();
      await gateway.complete({
        requestId: `req_bench_bare_${i}`,
        route: 'quality-judge',
        caller: { org: 'org_bench_overhead', actor },
        stream: false,
        request: {
          provider: 'openai',
          model: 'gpt-4o-mini',
          messages: [
            { role: 'user', content: `Task input:\n${sample.input}\nOutput under review:\n${sample.output}` },
          ],
        },
      });
      bare.push(performance.now() - started);
      started = performance.now();
      await judgeOutput(deps, {
        org: 'org_bench_overhead',
        actor,
        settings,
        task: TASK,
        input: sample.input,
        output: sample.output,
        chunks: [],
      });
      judged.push(performance.now() - started);
    }
    const p50 = (v: number[]) => Math.round(percentile(v, 50) * 10) / 10;
    results.push(
      {
        bench: 'quality-judge',
        case: `bare governed call, ${rounds} rounds`,
        metric: 'p50 latency',
        value: p50(bare),
        unit: 'ms',
      },
      {
        bench: 'quality-judge',
        case: `judge verdict, ${rounds} rounds`,
        metric: 'p50 latency',
        value: p50(judged),
        unit: 'ms',
      },
      {
        bench: 'quality-judge',
        case: 'judge overhead over the bare call (run start and end, validation, masking)',
        metric: 'p50 difference',
        value: Math.round((percentile(judged, 50) - percentile(bare, 50)) * 10) / 10,
        unit: 'ms',
      },
    );
  } finally {
    await vendor.close();
    await store.close();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
};

export default bench;
