import { type EventEnvelope, type EventStore, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway, PolicyStore } from '../gateway/index.js';
import { type FakeVendor, startFakeOpenAI } from '../testing/index.js';
import { createTestGateway } from '../testing/test-gateway.js';
import { getSkill } from './catalogue/index.js';
import { REPAIR_FAILED } from './decide.js';
import { SkillRunError } from './errors.js';
import { runSkill, type SkillRunnerDeps } from './run-skill.js';

const actor = { kind: 'user' as const, id: 'usr_spec' };
const skillId = 'intake.classify_use_case';
const input = {
  name: 'Help-centre assistant',
  description: 'A chatbot answering customer support questions.',
};

/** An answer the classify skill's output schema accepts. */
const validAnswer = {
  category: 'customer_support',
  deployment: 'customer_facing',
  techniques: ['text_generation'],
  autonomy: 'human_on_the_loop',
  affectsIndividuals: false,
  rationale: 'It answers customers directly.',
  confidence: 0.8,
};

const failure = async (promise: Promise<unknown>): Promise<SkillRunError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SkillRunError);
  return error as SkillRunError;
};

for (const driver of testDrivers) {
  describe(`a skill run on ${driver}`, () => {
    let test: TestDatabase;
    let store: EventStore;
    let vendor: FakeVendor;
    let gateway: Gateway;
    let policies: PolicyStore;
    let deps: SkillRunnerDeps;
    let org = '';
    let orgs = 0;
    const nextOrg = () => {
      org = `org_skills_${++orgs}`;
      return org;
    };
    const runEvents = (runId: string) => store.readSubject({ org, subject: `run/${runId}` });
    const inRun = async (runId: string) =>
      (await store.readOrg({ org })).filter((e: EventEnvelope) => e.meta?.runId === runId);

    beforeAll(async () => {
      test = await createTestDatabase(driver);
      store = await PostgresEventStore.open({ database: test.database });
      vendor = await startFakeOpenAI();
      ({ gateway, policies } = await createTestGateway({
        store,
        db: test.database.db,
        providers: { openai: { apiKey: 'sk-spec', baseURL: `${vendor.url}/v1` } },
      }));
      deps = { store, gateway };
    });
    afterAll(async () => {
      await store.close();
      await test.dispose();
      await vendor.close();
    });

    it('answers on the demo provider as a run of its own, every event of it named by the run', async () => {
      nextOrg();
      const result = await runSkill(deps, { org, actor, skillId, input, parentRunId: 'wf_parent' });
      expect(result).toMatchObject({
        skillId,
        skillVersion: '1.0.0',
        status: 'succeeded',
        provider: 'demo',
        model: 'demo',
        answers: 1,
        capsuleId: null,
      });
      expect(result.output.category).toBe('customer_support');
      expect(result.output.rationale).toMatch(/^\[demo\]/);
      const events = await runEvents(result.runId);
      expect(events.map((e) => e.type)).toEqual([
        'cp.run.started',
        'cp.skill.invoked',
        'cp.skill.output.accepted',
        'cp.run.completed',
      ]);
      expect(events[0]!.data).toEqual({ kind: 'skill', name: skillId });
      expect(events[0]!.meta).toEqual({ runId: result.runId, parentRunId: 'wf_parent' });
      expect(events.slice(1).map((e) => e.meta)).toEqual(Array(3).fill({ runId: result.runId }));
      expect(events[1]!.data).toMatchObject({ skillId, provider: 'demo', capsuleId: null });
      expect(events[3]!.data).toEqual({ status: 'succeeded' });
      const completed = (await inRun(result.runId)).filter((e) => e.type === 'cp.llm.call.completed');
      expect(completed).toHaveLength(1);
      expect(completed[0]!.subject).toBe(`call/${result.requestIds[0]}`);
      expect(completed[0]!.data).toMatchObject({ route: 'skill', demo: true, provider: 'demo' });
      expect(result.costMicros).toBe((completed[0]!.data as { costMicros: number }).costMicros);
      expect(result.costMicros).toBeGreaterThan(0);
      expect((await store.verifyChain({ org })).ok).toBe(true);
    });

    it('refuses an input its schema rejects before recording anything, naming the fields', async () => {
      nextOrg();
      const error = await failure(
        runSkill(deps, { org, actor, skillId, input: { name: 'x', description: '', extra: 1 } }),
      );
      expect(error.code).toBe('skill_input_invalid');
      expect(error.context.problems?.map((p) => p.path).sort()).toEqual(['/description', '/extra']);
      expect(error.context.runId).toBeUndefined();
      expect(await store.readOrg({ org })).toEqual([]);
      expect((await failure(runSkill(deps, { org, actor, skillId: 'intake.nope', input }))).code).toBe(
        'skill_not_found',
      );
    });

    it('sends the validation errors back once and accepts the repaired answer', async () => {
      nextOrg();
      const { confidence: _, ...withoutConfidence } = validAnswer;
      vendor.script({ text: JSON.stringify(withoutConfidence) }, { text: JSON.stringify(validAnswer) });
      const before = vendor.requests.length;
      const result = await runSkill(deps, { org, actor, skillId, input, model: 'gpt-4o-mini' });
      expect(result).toMatchObject({
        provider: 'openai',
        model: 'gpt-4o-mini',
        answers: 2,
        output: validAnswer,
      });
      const [first, second] = vendor.requests.slice(before);
      expect(first!.body.response_format).toMatchObject({
        type: 'json_schema',
        json_schema: { name: 'intake_classify_use_case', schema: getSkill(skillId)!.outputSchema },
      });
      const repair = second!.body.messages as { role: string; content: string }[];
      expect(repair.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
      expect(repair[3]!.content).toContain('/confidence: is required');
      const types = (await runEvents(result.runId)).map((e) => e.type);
      expect(types).toEqual([
        'cp.run.started',
        'cp.skill.invoked',
        'cp.skill.output.rejected',
        'cp.skill.output.accepted',
        'cp.run.completed',
      ]);
      const rejected = (await runEvents(result.runId))[2]!;
      expect(rejected.data).toEqual({
        attempt: 1,
        requestId: result.requestIds[0],
        errors: ['/confidence: is required'],
      });
    });

    it('fails the run when the repaired answer is still invalid', async () => {
      nextOrg();
      vendor.script(
        { text: 'not json at all' },
        { text: JSON.stringify({ ...validAnswer, category: 'astrology' }) },
      );
      const error = await failure(runSkill(deps, { org, actor, skillId, input, model: 'gpt-4o-mini' }));
      expect(error.code).toBe('skill_output_invalid');
      expect(error.message).toContain('/category: must be one of');
      const events = await runEvents(error.context.runId!);
      expect(events.map((e) => e.type).slice(-3)).toEqual([
        'cp.skill.output.rejected',
        'cp.skill.output.rejected',
        'cp.run.completed',
      ]);
      expect(events[2]!.data).toMatchObject({ attempt: 1, errors: ['(root): is not a JSON document'] });
      expect(events.at(-1)!.data).toEqual({ status: 'failed', error: REPAIR_FAILED });
    });

    it('fails the run with the gate’s code when the policy refuses the call', async () => {
      nextOrg();
      await policies.update({
        org,
        actor,
        input: { blockedPatterns: [{ name: 'codename', pattern: 'project falcon' }] },
      });
      const error = await failure(
        runSkill(deps, {
          org,
          actor,
          skillId,
          input: { name: 'Falcon', description: 'Internal assistant for Project Falcon.' },
        }),
      );
      expect(error.code).toBe('policy_blocked');
      const events = await runEvents(error.context.runId!);
      expect(events.at(-1)!.data).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/^policy_blocked: /),
      });
      const decided = (await inRun(error.context.runId!)).find((e) => e.type === 'cp.gate.policy.decided');
      expect(decided?.data).toMatchObject({ decision: 'block', route: 'skill' });
    });

    it('puts the active capsule in place of the base prompt and records it', async () => {
      nextOrg();
      vendor.script({ text: JSON.stringify(validAnswer) });
      const before = vendor.requests.length;
      const capsules = {
        active: async (o: { org: string; skillId: string }) =>
          o.skillId === skillId
            ? { id: 'cap_42', text: 'Classify strictly by the org taxonomy.' }
            : undefined,
      };
      const result = await runSkill(
        { ...deps, capsules },
        { org, actor, skillId, input, model: 'openai/gpt-4o-mini' },
      );
      expect(result.capsuleId).toBe('cap_42');
      const sent = vendor.requests[before]!.body.messages as { role: string; content: string }[];
      expect(sent[0]).toEqual({ role: 'system', content: 'Classify strictly by the org taxonomy.' });
      expect((await runEvents(result.runId))[1]!.data).toMatchObject({ capsuleId: 'cap_42' });
      const completed = (await inRun(result.runId)).find((e) => e.type === 'cp.llm.call.completed');
      expect(completed?.data).toMatchObject({ capsuleId: 'cap_42' });
    });

    it('completes a run stopped in flight as cancelled', async () => {
      nextOrg();
      const slow = await createTestGateway({ store, db: test.database.db, demoLatencyMs: 600_000 });
      const controller = new AbortController();
      // Aborts once the call is under way, as a killed workflow run would.
      const aborting: Pick<Gateway, 'complete'> = {
        complete: (call) => {
          const pending = slow.gateway.complete(call);
          controller.abort();
          return pending;
        },
      };
      const error = await failure(
        runSkill({ store, gateway: aborting }, { org, actor, skillId, input, signal: controller.signal }),
      );
      expect(error.code).toBe('skill_cancelled');
      expect((await runEvents(error.context.runId!)).at(-1)!.data).toMatchObject({ status: 'cancelled' });
      expect((await inRun(error.context.runId!)).some((e) => e.type === 'cp.llm.call.failed')).toBe(true);
    });

    it('refuses a run id that was already used', async () => {
      nextOrg();
      const first = await runSkill(deps, { org, actor, skillId, input, runId: 'run_fixed' });
      expect(first.runId).toBe('run_fixed');
      const error = await failure(runSkill(deps, { org, actor, skillId, input, runId: 'run_fixed' }));
      expect(error.code).toBe('run_exists');
      expect(await runEvents('run_fixed')).toHaveLength(4);
    });
  });
}
