import { type Gateway, recordedThenEvalCases, replayGene } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, auth, registerAccount } from '../identity/testing/identity-test-app.js';
import { createClockedApp } from '../quality-drift/testing.js';
import { judgeQueue } from '../quality-judge/queue.js';
import { recordedSkillInputs } from './recorded-inputs.js';

const SKILL = 'intake.classify_use_case';
const T0 = Date.parse('2026-05-01T09:00:00.000Z');

for (const driver of testDrivers) {
  describe(`replays on recorded, masked inputs on ${driver}`, () => {
    let t: Awaited<ReturnType<typeof createClockedApp>>;
    let owner: Account;
    let other: Account;
    beforeAll(async () => {
      t = await createClockedApp({ driver, start: new Date(T0) });
      owner = await registerAccount(t.app);
      other = await registerAccount(t.app);
      const queue = judgeQueue(t.app.runtime.database.db);
      const hold = (org: string, runId: string, skill: string, description: string, minute: number) =>
        queue.offer(
          {
            org,
            runId,
            skill,
            inputText: JSON.stringify({ name: `Bot ${runId}`, description }),
            outputText: '{}',
          },
          new Date(T0 + minute * 60_000),
        );
      await hold(owner.org, 'run_own_1', SKILL, 'A [PERSON] asks for a refund.', 1);
      await hold(owner.org, 'run_own_2', SKILL, 'Routes [EMAIL] tickets.', 2);
      await hold(owner.org, 'run_own_other_skill', 'policy.map_controls', 'Not this skill.', 3);
      await hold(other.org, 'run_foreign', SKILL, 'Another org secret.', 4);
    });
    afterAll(() => t.dispose());

    const propose = async (token: string, text: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/genes',
        headers: auth(token),
        payload: { skill: SKILL, text, rationale: 'Runs were repaired' },
      });
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    };

    it('asks the model the org’s recorded inputs first, fills up with eval cases, and records counts and run ids', async () => {
      const geneId = await propose(owner.token, 'Name the category first.');
      const asked: string[] = [];
      const real = t.app.gateway.gateway;
      const gateway: Pick<Gateway, 'complete'> = {
        complete: (request) => {
          for (const m of request.request.messages) asked.push(String(m.content));
          return real.complete(request);
        },
      };
      const result = await replayGene(
        {
          store: t.store,
          gateway,
          inputs: recordedThenEvalCases(recordedSkillInputs(t.app.runtime.database.db)),
        },
        {
          org: owner.org,
          actor: { kind: 'user', id: owner.userId },
          skill: SKILL,
          geneId,
          limit: 4,
          model: null,
        },
      );
      expect(result).toMatchObject({
        inputs: 'recorded',
        recordedInputs: 2,
        evalCaseInputs: 2,
        recordedRunIds: ['run_own_2', 'run_own_1'],
      });
      expect(result.cases.map((c) => c.name).slice(0, 2)).toEqual(['run run_own_2', 'run run_own_1']);
      // Both capsules were asked each recorded input, masked as it was held.
      expect(asked.filter((m) => m.includes('Routes [EMAIL] tickets.'))).toHaveLength(2);
      expect(asked.filter((m) => m.includes('A [PERSON] asks for a refund.'))).toHaveLength(2);
      expect(asked).toHaveLength(8);
      expect(asked.some((m) => m.includes('Another org secret.') || m.includes('Not this skill.'))).toBe(
        false,
      );

      const events = await t.store.readOrg({ org: owner.org });
      const replayed = events.find((e) => e.type === 'cp.evolution.gene.replayed');
      expect(replayed?.data).toMatchObject({ recordedInputs: 2, evalCaseInputs: 2 });
      // The log names the replayed runs, never their inputs' text.
      expect(JSON.stringify(replayed?.data)).not.toContain('[PERSON]');
    });

    it('replays through the route on the org’s own recorded inputs only', async () => {
      const geneId = await propose(other.token, 'Mention the deployment context.');
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/genes/${geneId}/replay`,
        headers: auth(other.token),
        payload: { inputs: 3 },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().replay).toMatchObject({
        inputs: 'recorded',
        recordedInputs: 1,
        evalCaseInputs: 2,
        recordedRunIds: ['run_foreign'],
      });
    });
  });
}
