import { type EventEnvelope, type EventStore, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSkill } from '../skills/run-skill.js';
import { type FakeVendor, startFakeAnthropic, startFakeGemini, startFakeOpenAI } from '../testing/index.js';
import { createTestGateway } from '../testing/test-gateway.js';
import { type CrossVendorRunDeps, startCrossVendorRun } from './run-suite.js';
import { createCrossVendorSuite, readCrossVendorSuite } from './suite-handlers.js';
import { startEntailmentVendor } from './testing/entailment-vendor.js';

const actor = { kind: 'user' as const, id: 'usr_spec' };
const usage = { input: 20, output: 10 };
const providers = [
  { provider: 'openai', model: 'gpt-4o-mini' },
  { provider: 'anthropic', model: 'claude-sonnet-4-5' },
  { provider: 'gemini', model: 'gemini-2.5-flash' },
];
const judge = { provider: 'openai-compatible', model: 'judge-1' };
const refund = {
  type: 'object',
  required: ['approve', 'reason'],
  properties: { approve: { type: 'boolean' }, reason: { type: 'string' } },
};
const ask = (content: string) => [{ role: 'user' as const, content }];

type Compared = { caseIndex: number; a: number; b: number; severity: string; reason: string };

for (const driver of testDrivers) {
  describe(`a cross-vendor run on ${driver}`, () => {
    let test: TestDatabase;
    let store: EventStore;
    let vendors: FakeVendor[];
    let deps: CrossVendorRunDeps;
    let orgs = 0;
    const nextOrg = () => `org_cv_${++orgs}`;
    const eventsOf = async (org: string, type: string) =>
      (await store.readOrg({ org })).filter((e: EventEnvelope) => e.type === type);

    beforeAll(async () => {
      test = await createTestDatabase(driver);
      store = await PostgresEventStore.open({ database: test.database });
      vendors = [
        await startFakeOpenAI(),
        await startFakeAnthropic(),
        await startFakeGemini(),
        await startEntailmentVendor({ terms: ['Paris', 'Lyon'] }),
        await startFakeOpenAI(),
      ];
      const [openai, anthropic, gemini, judged] = vendors as [FakeVendor, FakeVendor, FakeVendor, FakeVendor];
      const { gateway } = await createTestGateway({
        store,
        db: test.database.db,
        providers: {
          openai: { apiKey: 'sk-spec', baseURL: `${openai.url}/v1` },
          anthropic: { apiKey: 'sk-ant-spec', baseURL: `${anthropic.url}/v1` },
          gemini: { apiKey: 'gm-spec', baseURL: `${gemini.url}/v1beta` },
          'openai-compatible': { apiKey: 'judge', baseURL: `${judged.url}/v1` },
          deepseek: { apiKey: 'ds-spec', baseURL: `${vendors[4]!.url}/v1` },
        },
      });
      deps = { store, gateway, runSkill: (request) => runSkill({ store, gateway }, request) };
    });
    afterAll(async () => {
      await store.close();
      await test.dispose();
      await Promise.all(vendors.map((v) => v.close()));
    });

    it('grades every pair of three vendors: critical by decision field, by schema and by a failed provider, warning and info by the judge, info when identical', async () => {
      const org = nextOrg();
      const [openai, anthropic, gemini] = vendors as [FakeVendor, FakeVendor, FakeVendor];
      const suite = await createCrossVendorSuite({
        store,
        org,
        actor,
        suite: {
          name: 'refund desk',
          cases: [
            { input: ask('Refund order 1?'), decisionFields: ['$.approve'], outputSchema: refund },
            { input: ask('Refund order 2?'), outputSchema: refund },
            { input: ask('Which city is the capital of France?') },
            { input: ask('Say ok.') },
          ],
          providers,
          judge,
          schedule: null,
        },
      });
      openai.script(
        { text: '{"approve":true,"reason":"within 30 days"}', usage },
        { text: '{"approve":true,"reason":"ok"}', usage },
        { text: 'The capital is Paris.', usage },
        { text: 'ok', usage },
      );
      anthropic.script(
        { text: '{"approve":true,"reason":"within 30 days"}', usage },
        { text: 'I would approve it.', usage },
        { text: 'Paris is the capital of France', usage },
        { text: 'ok', usage },
      );
      gemini.script(
        { text: '{"approve":false,"reason":"too late"}', usage },
        { text: '{"approve":true,"reason":"ok"}', usage },
        { text: 'It is Lyon.', usage },
        { status: 500 },
      );
      const { runId, done } = await startCrossVendorRun(deps, { org, actor, suite, concurrency: 1 });
      const summary = await done;
      expect(summary).toMatchObject({ runId, status: 'succeeded', critical: 6, warning: 2, info: 4 });

      const pairs = (await eventsOf(org, 'cp.cross_vendor.pair.compared')).map((e) => e.data as Compared);
      const grade = (c: number) =>
        pairs.filter((p) => p.caseIndex === c).map((p) => `${p.a}${p.b} ${p.severity} ${p.reason}`);
      expect(grade(0)).toEqual([
        '01 info identical',
        '02 critical decision_field',
        '12 critical decision_field',
      ]);
      expect(grade(1)).toEqual(['01 critical schema', '02 info identical', '12 critical schema']);
      expect(grade(2)).toEqual([
        '01 info judge_equivalent',
        '02 warning judge_different',
        '12 warning judge_different',
      ]);
      expect(grade(3)).toEqual([
        '01 info identical',
        '02 critical provider_failed',
        '12 critical provider_failed',
      ]);
      const decided = (await eventsOf(org, 'cp.cross_vendor.pair.compared')).find(
        (e) => (e.data as Compared).caseIndex === 0 && (e.data as Compared).b === 2,
      )!;
      expect(decided.data).toMatchObject({
        diffs: [{ path: '$.approve', a: 'true', b: 'false' }],
        judge: null,
      });
      // The judge was asked only on the free-text pairs, twice each (both directions), under its own runs.
      expect(pairs.filter((p) => (p as unknown as { judge: unknown }).judge !== null)).toHaveLength(3);
      expect(vendors[3]!.requests).toHaveLength(6);

      const answers = await eventsOf(org, 'cp.cross_vendor.answer.recorded');
      expect(answers).toHaveLength(12);
      const failed = answers.find((e) => (e.data as { status: string }).status === 'failed')!;
      expect(failed.data).toMatchObject({ caseIndex: 3, providerIndex: 2, valid: false, answer: null });
      expect((failed.data as { error: string }).error).toMatch(/^provider_error/);
      const invalid = answers.find(
        (e) =>
          (e.data as { caseIndex: number; providerIndex: number }).caseIndex === 1 &&
          e.data.providerIndex === 1,
      )!;
      expect(invalid.data).toMatchObject({
        status: 'answered',
        valid: false,
        problems: ['(root): is not a JSON document'],
      });

      // The tree: suite → 4 cases → 12 providers → 3 judges, each start naming its parent.
      const starts = await eventsOf(org, 'cp.run.started');
      const parentOf = new Map(starts.map((e) => [e.meta.runId!, e.meta.parentRunId ?? null]));
      expect(parentOf.get(runId)).toBeNull();
      expect(parentOf.get(`${runId}.c1`)).toBe(runId);
      expect(parentOf.get(`${runId}.c3.p2`)).toBe(`${runId}.c3`);
      expect(parentOf.get(`${runId}.c3.p1.j3`)).toBe(`${runId}.c3.p1`);
      expect(starts.every((e) => (e.data as { kind: string }).kind === 'cross-vendor')).toBe(true);
      expect(starts).toHaveLength(1 + 4 + 12 + 3);
      const ends = await eventsOf(org, 'cp.run.completed');
      expect(ends).toHaveLength(starts.length);
      expect(ends.find((e) => e.meta.runId === `${runId}.c4.p3`)!.data).toMatchObject({ status: 'failed' });

      // Every provider call is a governed call of its provider's run, with its cost.
      const calls = await eventsOf(org, 'cp.llm.call.completed');
      const callRuns = new Set(calls.map((e) => e.meta.runId));
      expect(callRuns.has(`${runId}.c1.p1`)).toBe(true);
      expect(callRuns.has(`${runId}.c3.p1.j2`)).toBe(true);
      expect(calls.every((e) => (e.data as { route: string }).route === 'cross-vendor')).toBe(true);
      const completed = (await eventsOf(org, 'cp.cross_vendor.run.completed'))[0]!;
      const spent = calls.reduce((sum, e) => sum + (e.data as { costMicros: number }).costMicros, 0);
      expect(completed.data).toMatchObject({ critical: 6, warning: 2, info: 4, costMicros: spent });
      expect(spent).toBeGreaterThan(0);
      expect((await store.verifyChain({ org })).ok).toBe(true);
    });

    it('runs a skill case on each vendor as a skill run nested under the provider, diffing its decision field', async () => {
      const org = nextOrg();
      const [openai, anthropic, gemini] = vendors as [FakeVendor, FakeVendor, FakeVendor];
      const classified = {
        category: 'customer_support',
        deployment: 'customer_facing',
        techniques: ['text_generation'],
        autonomy: 'human_on_the_loop',
        affectsIndividuals: false,
        rationale: 'It answers customers.',
        confidence: 0.8,
      };
      openai.script({ text: JSON.stringify(classified), usage });
      anthropic.script({ text: JSON.stringify(classified), usage });
      gemini.script({ text: JSON.stringify({ ...classified, category: 'marketing_sales' }), usage });
      const suite = await createCrossVendorSuite({
        store,
        org,
        actor,
        suite: {
          name: 'intake',
          cases: [
            {
              input: {
                skill: 'intake.classify_use_case',
                input: {
                  name: 'Help-centre assistant',
                  description: 'A chatbot answering support questions.',
                },
              },
              decisionFields: ['$.category'],
            },
          ],
          providers,
          judge: null,
          schedule: null,
        },
      });
      const { runId, done } = await startCrossVendorRun(deps, { org, actor, suite });
      expect(await done).toMatchObject({ status: 'succeeded', critical: 2, info: 1 });
      const skills = (await eventsOf(org, 'cp.run.started')).filter(
        (e) => (e.data as { kind: string }).kind === 'skill',
      );
      expect(skills.map((e) => e.meta.parentRunId).sort()).toEqual([1, 2, 3].map((p) => `${runId}.c1.p${p}`));
      const answers = await eventsOf(org, 'cp.cross_vendor.answer.recorded');
      expect(answers.map((e) => (e.data as { fields: unknown }).fields)).toContainEqual({
        '$.category': '"marketing_sales"',
      });
    });

    it('asks a provider that cannot carry a JSON Schema without one, and still checks its answer', async () => {
      const org = nextOrg();
      const [openai] = vendors as [FakeVendor];
      const deepseek = vendors[4]!;
      openai.script({ text: '{"approve":true,"reason":"ok"}', usage });
      deepseek.script({ text: '```json\n{"approve":true,"reason":"ok"}\n```', usage });
      const suite = await createCrossVendorSuite({
        store,
        org,
        actor,
        suite: {
          name: 'schema carriers',
          cases: [{ input: ask('Refund order 9?'), decisionFields: ['$.approve'], outputSchema: refund }],
          providers: [providers[0]!, { provider: 'deepseek', model: 'deepseek-chat' }],
          judge: null,
          schedule: null,
        },
      });
      const { done } = await startCrossVendorRun(deps, { org, actor, suite });
      expect(await done).toMatchObject({ status: 'succeeded', critical: 0, info: 1 });
      expect(openai.requests.at(-1)!.body).toHaveProperty('response_format');
      expect(deepseek.requests.at(-1)!.body).not.toHaveProperty('response_format');
    });

    it('ends a stopped run as failed, saying why, without taking another case', async () => {
      const org = nextOrg();
      const suite = await createCrossVendorSuite({
        store,
        org,
        actor,
        suite: {
          name: 'stopped',
          cases: [{ input: ask('one') }, { input: ask('two') }],
          providers: [
            { provider: 'demo', model: 'demo' },
            { provider: 'demo', model: 'demo-2' },
          ],
          judge: null,
          schedule: null,
        },
      });
      const stop = new AbortController();
      stop.abort();
      const { runId, done } = await startCrossVendorRun(deps, { org, actor, suite, signal: stop.signal });
      expect(await done).toMatchObject({ runId, status: 'failed', info: 0 });
      const ended = await store.readSubject({ org, subject: `run/${runId}` });
      expect(ended.at(-1)?.data).toEqual({
        status: 'failed',
        error: 'the run was stopped before every case ran',
      });
      expect(await eventsOf(org, 'cp.cross_vendor.answer.recorded')).toEqual([]);
    });

    it('keeps suites and runs inside their org', async () => {
      const org = nextOrg();
      const other = nextOrg();
      const suite = await createCrossVendorSuite({
        store,
        org,
        actor,
        suite: {
          name: 'demo',
          cases: [{ input: ask('hello') }],
          providers: [
            { provider: 'demo', model: 'demo' },
            { provider: 'demo', model: 'demo-2' },
          ],
          judge: null,
          schedule: null,
        },
      });
      expect(await readCrossVendorSuite({ store, org: other, suiteId: suite.suiteId })).toBeNull();
      expect((await readCrossVendorSuite({ store, org, suiteId: suite.suiteId }))?.name).toBe('demo');
      const { runId, done } = await startCrossVendorRun(deps, { org, actor, suite });
      await done;
      expect(await store.readSubject({ org: other, subject: `run/${runId}` })).toEqual([]);
      expect(await store.readOrg({ org: other })).toEqual([]);
    });
  });
}
