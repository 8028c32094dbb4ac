import { type EventStore, PostgresEventStore } from '@proofpane/core';
import { createTestDatabase, type TestDatabase, testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway, GatewayCall, GovernedResult } from '../gateway/index.js';
import { SkillRunError } from '../skills/errors.js';
import { runSkill } from '../skills/run-skill.js';

const actor = { kind: 'user' as const, id: 'usr_l3' };
const skillId = 'policy.gap_analysis';
const input = { policyText: 'We keep personal data only as long as needed.', framework: 'gdpr' };
const answer = (controlUid: string, summary: string) =>
  JSON.stringify({
    framework: 'gdpr',
    covered: [{ controlUid, evidence: 'We keep personal data only as long as needed.' }],
    gaps: [],
    coveragePercent: 30,
    summary,
  });

/** A gateway that answers from a script and keeps each call's last user message. */
function scriptedGateway(answers: string[]) {
  const prompts: string[] = [];
  const gateway: Pick<Gateway, 'complete'> = {
    async complete(call: GatewayCall) {
      const last = call.request.messages.at(-1);
      prompts.push(typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content));
      const text = answers.shift() ?? '{}';
      return { result: { text }, costMicros: 0 } as unknown as GovernedResult;
    },
  };
  return { gateway, prompts };
}

const failure = async (promise: Promise<unknown>): Promise<SkillRunError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SkillRunError);
  return error as SkillRunError;
};

for (const driver of testDrivers) {
  describe(`L3 on a skill run on ${driver}`, () => {
    let test: TestDatabase;
    let store: EventStore;
    let orgs = 0;
    const nextOrg = () => `org_l3_${++orgs}`;

    beforeAll(async () => {
      test = await createTestDatabase(driver);
      store = await PostgresEventStore.open({ database: test.database });
    });
    afterAll(async () => {
      await store.close();
      await test.dispose();
    });

    it('records what each answer cites in the run, in the append of its verdict', async () => {
      const org = nextOrg();
      const { gateway } = scriptedGateway([
        answer('GDPR:Art.5', 'Storage limitation, GDPR Art. 5(1)(e), is met.'),
      ]);
      const result = await runSkill({ store, gateway }, { org, actor, skillId, input });
      const events = await store.readSubject({ org, subject: `run/${result.runId}` });
      const checked = events.find((e) => e.type === 'cp.quality.l3.checked');
      const accepted = events.find((e) => e.type === 'cp.skill.output.accepted');
      expect(checked?.data).toEqual({
        requestId: result.requestIds[0],
        attempt: 1,
        cited: ['GDPR:Art.5'],
        unknown: [],
        misattributed: [],
      });
      expect(checked?.meta?.runId).toBe(result.runId);
      // One append: consecutive sequence numbers, the check before the verdict.
      expect(accepted!.seq).toBe(checked!.seq + 1);
    });

    it('repairs an answer citing an unknown control once, naming the id in the repair turn', async () => {
      const org = nextOrg();
      const { gateway, prompts } = scriptedGateway([
        answer('GDPR:Art.120', 'Covered.'),
        answer('GDPR:Art.5', 'Covered by GDPR Art. 5.'),
      ]);
      const result = await runSkill({ store, gateway }, { org, actor, skillId, input });
      expect(result.answers).toBe(2);
      expect(prompts[1]).toContain('/covered/0/controlUid: names GDPR Art. 120');
      const types = (await store.readSubject({ org, subject: `run/${result.runId}` })).map((e) => e.type);
      expect(types).toEqual([
        'cp.run.started',
        'cp.skill.invoked',
        'cp.quality.l3.checked',
        'cp.skill.output.rejected',
        'cp.quality.l3.checked',
        'cp.skill.output.accepted',
        'cp.run.completed',
      ]);
    });

    it('fails with quality_unknown_control when the repair still cites an unknown control', async () => {
      const org = nextOrg();
      const { gateway } = scriptedGateway([
        answer('GDPR:Art.5', 'See GDPR Art. 150.'),
        answer('GDPR:Art.5', 'See GDPR Art. 150 again.'),
      ]);
      const error = await failure(runSkill({ store, gateway }, { org, actor, skillId, input }));
      expect(error.code).toBe('quality_unknown_control');
      expect(error.message).toContain('/summary: cites GDPR Art. 150');
      const events = await store.readSubject({ org, subject: `run/${error.context.runId}` });
      expect(events.at(-1)?.data).toMatchObject({ status: 'failed' });
      expect(events.filter((e) => e.type === 'cp.quality.l3.checked').map((e) => e.data)).toEqual([
        expect.objectContaining({ attempt: 1, unknown: [{ text: 'Art. 150', framework: 'GDPR' }] }),
        expect.objectContaining({ attempt: 2, unknown: [{ text: 'Art. 150', framework: 'GDPR' }] }),
      ]);
    });
  });
}
