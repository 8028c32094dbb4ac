import { type EventEnvelope, type EventStore, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../gateway/index.js';
import { L4_DEFAULTS } from '../quality/settings.js';
import { runSkill } from '../skills/run-skill.js';
import { type FakeVendor, startFakeOpenAI } from '../testing/index.js';
import { createTestGateway } from '../testing/test-gateway.js';
import { judgeOutput, readJudgeableRun, recordRunVerdict } from './judge-output.js';
import { MALFORMED_VERDICT, verdictText } from './testing/verdicts.js';

const actor = { kind: 'user' as const, id: 'usr_judge' };
const usage = { input: 40, output: 60 };
const openaiJudge = { ...L4_DEFAULTS, judge: { provider: 'openai', model: 'gpt-4o-mini' } };
const task = { task: 'Summarise', input: { text: 'Alice leads the audit.' }, chunks: [] };

for (const driver of testDrivers) {
  describe(`the L4 judge on ${driver}`, () => {
    let test: TestDatabase;
    let store: EventStore;
    let vendor: FakeVendor;
    let gateway: Gateway;
    let orgs = 0;
    const nextOrg = () => `org_judge_${++orgs}`;
    const types = async (org: string) => (await store.readOrg({ org })).map((e: EventEnvelope) => e.type);

    beforeAll(async () => {
      test = await createTestDatabase(driver);
      store = await PostgresEventStore.open({ database: test.database });
      vendor = await startFakeOpenAI();
      ({ gateway } = await createTestGateway({
        store,
        db: test.database.db,
        providers: { openai: { apiKey: 'sk-judge', baseURL: `${vendor.url}/v1` } },
      }));
    });
    afterAll(async () => {
      await store.close();
      await test.dispose();
      await vendor.close();
    });

    it('scores an output with a scripted verdict through a governed call in a judge run of its own', async () => {
      const org = nextOrg();
      vendor.script({
        text: verdictText({ scores: [4, 3, 2, 5], unsupportedClaims: ['Bob signs off'] }),
        usage,
      });
      const verdict = await judgeOutput(
        { store, gateway },
        { org, actor, settings: openaiJudge, output: 'Alice leads; Bob signs off.', ...task },
      );
      expect(verdict).toMatchObject({ score: 2, passed: false, threshold: 3, disagreement: null });
      expect(verdict.judges[0]).toMatchObject({
        status: 'judged',
        calls: 1,
        unsupportedClaims: ['Bob signs off'],
      });
      expect(verdict.costMicros).toBeGreaterThan(0);
      const sent = JSON.stringify(vendor.requests.at(-1)!.body);
      expect(sent).toContain('Alice leads; Bob signs off.');
      expect(sent).toContain('judge_verdict');
      const events = await store.readOrg({ org });
      const started = events.find((e) => e.type === 'cp.run.started')!;
      expect(started.data).toMatchObject({ kind: 'quality-judge' });
      const call = events.find((e) => e.type === 'cp.llm.call.completed')!;
      expect(call.meta?.runId).toBe(started.subject.slice(4));
      expect(await types(org)).toContain('cp.gate.policy.decided');
      expect(events.find((e) => e.type === 'cp.run.completed')!.data).toEqual({ status: 'succeeded' });
    });

    it('repairs a malformed verdict once, with the problems named', async () => {
      const org = nextOrg();
      vendor.script(
        { text: MALFORMED_VERDICT, usage },
        { text: verdictText({ scores: [5, 5, 5, 5] }), usage },
      );
      const verdict = await judgeOutput(
        { store, gateway },
        { org, actor, settings: openaiJudge, output: 'ok', ...task },
      );
      expect(verdict).toMatchObject({ score: 5, passed: true });
      expect(verdict.judges[0]!.calls).toBe(2);
      const repair = JSON.stringify(vendor.requests.at(-1)!.body);
      expect(repair).toContain('correctness.score');
      expect(repair).toContain('unsupportedClaims');
    });

    it('records a judge failure when the repaired verdict is malformed again', async () => {
      const org = nextOrg();
      vendor.script({ text: MALFORMED_VERDICT, usage }, { text: 'not json', usage });
      const verdict = await judgeOutput(
        { store, gateway },
        { org, actor, settings: openaiJudge, output: 'ok', ...task },
      );
      expect(verdict).toMatchObject({ score: null, passed: null });
      expect(verdict.judges[0]).toMatchObject({ status: 'failed', calls: 2, rubric: null });
      expect(verdict.judges[0]!.error).toMatch(/^malformed_verdict/);
      const completed = (await store.readOrg({ org })).filter((e) => e.type === 'cp.run.completed');
      expect(completed.map((e) => e.data)).toEqual([{ status: 'failed', error: verdict.judges[0]!.error }]);
    });

    it('runs offline on the demo judge, and a second judge that disagrees sends the run to triage', async () => {
      const org = nextOrg();
      const run = await runSkill(
        { store, gateway },
        {
          org,
          actor,
          skillId: 'intake.classify_use_case',
          input: { name: 'Help-centre assistant', description: 'A chatbot answering support questions.' },
        },
      );
      // Whatever the skill, the demo judge's verdict is valid: it scores every dimension 3.
      const demo = await judgeOutput(
        { store, gateway },
        { org, actor, settings: L4_DEFAULTS, output: 'an answer', ...task },
      );
      expect(demo).toMatchObject({ score: 3, passed: true });
      expect(demo.judges[0]).toMatchObject({ provider: 'demo', status: 'judged' });
      vendor.script({ text: verdictText({ scores: [5, 5, 5, 5] }), usage });
      const two = await judgeOutput(
        { store, gateway },
        {
          org,
          actor,
          settings: { ...L4_DEFAULTS, secondJudge: { provider: 'openai', model: 'gpt-4o-mini' } },
          output: run.output,
          task: 'tier',
          input: {},
          chunks: [],
          parentRunId: run.runId,
        },
      );
      expect(two).toMatchObject({ score: 3, passed: true, disagreement: 2, margin: 1 });
      const judgeable = await readJudgeableRun({ store, org, runId: run.runId });
      const recorded = await recordRunVerdict({
        store,
        org,
        actor,
        run: judgeable,
        source: 'sampled',
        verdict: two,
        output: run.output,
      });
      expect(recorded).toMatchObject({ recorded: true, triageItemId: `qt_${run.runId}` });
      const events = await store.readOrg({ org });
      const judged = events.find((e) => e.type === 'cp.quality.l4.judged')!;
      expect(judged.subject).toBe(`run/${run.runId}`);
      expect(judged.data).toMatchObject({
        skill: 'intake.classify_use_case',
        source: 'sampled',
        disagreement: 2,
      });
      const opened = events.find((e) => e.type === 'cp.quality.triage.opened')!;
      expect(opened.data).toMatchObject({ reasons: ['judge_disagreement'], judgeId: recorded.judgeId });
      // The judges' runs nest under the judged run.
      const nested = events.filter((e) => e.type === 'cp.run.started' && e.meta?.parentRunId === run.runId);
      expect(nested).toHaveLength(2);
      // Sampled twice (a second process): the second verdict records nothing.
      const again = await recordRunVerdict({
        store,
        org,
        actor,
        run: judgeable,
        source: 'sampled',
        verdict: two,
        output: run.output,
      });
      expect(again).toMatchObject({ recorded: false, triageItemId: null });
    });
  });
}
