import type { NewEvent } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCompleted, policyDecided, runStarted } from '../testing/events.js';
import { createProjectionHarness, newOrg, type ProjectionHarness } from '../testing/harness.js';
import {
  approvedOverrides,
  controlEvidencePage,
  controlEvidenceSeqs,
  evidenceByControl,
  evidenceBySkill,
  listOverrides,
} from './queries.js';

const hash = 'a'.repeat(64);
const engine = { kind: 'system' as const, id: 'skills' };

/** A skill run serving a use case: started, invoked, one governed call inside, its answer accepted. */
function skillRun(id: string, useCaseId?: string, parentRunId?: string): NewEvent[] {
  const started = runStarted({ id, kind: 'skill', ...(parentRunId ? { parentRunId } : {}) });
  if (useCaseId) (started.data as Record<string, unknown>).useCaseId = useCaseId;
  const onRun = (type: string, data: Record<string, unknown>): NewEvent => ({
    type,
    subject: `run/${id}`,
    actor: engine,
    meta: { runId: id },
    data,
  });
  return [
    started,
    onRun('cp.skill.invoked', {
      skillId: 'risk.eu_ai_act_tier',
      skillVersion: '1',
      capsuleId: null,
      inputSha256: hash,
      provider: 'demo',
      model: 'demo',
    }),
    callCompleted({ id: `${id}_call`, costMicros: 10, runId: id }),
    onRun('cp.skill.output.accepted', { attempt: 1, requestId: `${id}_call`, outputSha256: hash }),
  ];
}

const masked = (id: string): NewEvent => {
  const event = policyDecided({ id });
  (event.data as Record<string, unknown>).dlp = { EMAIL: 1 };
  return event;
};

const override = (type: string, data: Record<string, unknown>, by = 'usr_a'): NewEvent => ({
  type,
  subject: `compliance-override/${data.overrideId as string}`,
  actor: { kind: 'user', id: by },
  data,
});

for (const driver of testDrivers) {
  describe(`the compliance read model on ${driver}`, () => {
    let h: ProjectionHarness;
    const org = newOrg('comp');
    const other = newOrg('victim');
    beforeAll(async () => {
      h = await createProjectionHarness({ driver });
      await h.given(org, [
        ...skillRun('run_1', 'uc_loans'),
        callCompleted({ id: 'c_plain', costMicros: 5 }),
        masked('c_masked'),
        policyDecided({ id: 'c_clean' }),
        override('cp.compliance.mapping.proposed', {
          overrideId: 'ovr_1',
          skill: 'risk.eu_ai_act_tier',
          control: 'GDPR:Art.35',
          action: 'add',
          reason: 'the DPIA reads the tier',
          proposedBy: 'usr_a',
        }),
        override('cp.compliance.mapping.approved', { overrideId: 'ovr_1', approvedBy: 'usr_b' }, 'usr_b'),
        {
          type: 'cp.usecase.transitioned',
          subject: 'usecase/uc_chat',
          actor: { kind: 'user', id: 'usr_b' },
          data: { useCaseId: 'uc_chat', from: 'in_review', to: 'approved', reason: 'requested', by: 'usr_b' },
        },
        {
          type: 'cp.usecase.transitioned',
          subject: 'usecase/uc_chat',
          actor: { kind: 'user', id: 'usr_b' },
          data: { useCaseId: 'uc_chat', from: 'approved', to: 'retired', reason: 'requested', by: 'usr_b' },
        },
      ]);
      await h.given(other, [...skillRun('run_v', 'uc_victim'), masked('v_masked')]);
      // A workflow run serving a use case, and, in a later batch, a skill run nested under it.
      const workflow = runStarted({ id: 'wf_1', kind: 'workflow' });
      (workflow.data as Record<string, unknown>).useCaseId = 'uc_workflow';
      await h.given(org, [workflow]);
      await h.given(org, skillRun('run_nested', undefined, 'wf_1'));
    }, 60_000);
    afterAll(() => h.dispose());

    it('evidences record-keeping by every completed call, with the use case of the run it served', async () => {
      const tally = await evidenceByControl({ db: h.db, org, controls: ['EU-AI-ACT:Art.12', 'GDPR:Art.5'] });
      // The nested run's call serves the use case of the workflow run it belongs to.
      expect(tally.get('EU-AI-ACT:Art.12')).toEqual({
        count: 3,
        lastAt: expect.any(String),
        useCases: ['uc_loans', 'uc_workflow'],
      });
      // Only the call whose prompt DLP masked evidences data minimisation; the clean one does not.
      expect(tally.get('GDPR:Art.5')?.count).toBe(1);
    });

    it('names the use case an event names itself, and applies a rule only when its condition holds', async () => {
      const tally = await evidenceByControl({ db: h.db, org, controls: ['NIST-AI-RMF:MANAGE 1.1'] });
      // The approval evidences the go/no-go decision; the later retirement does not.
      expect(tally.get('NIST-AI-RMF:MANAGE 1.1')).toMatchObject({ count: 1, useCases: ['uc_chat'] });
    });

    it('counts accepted skill runs per skill, with their use case', async () => {
      const bySkill = await evidenceBySkill({ db: h.db, org });
      expect(bySkill.get('risk.eu_ai_act_tier')).toMatchObject({
        count: 2,
        useCases: ['uc_loans', 'uc_workflow'],
      });
    });

    it('pages a control timeline newest first, rule and skill evidence together', async () => {
      const window = { db: h.db, org, control: 'EU-AI-ACT:Art.12', skills: ['risk.eu_ai_act_tier'] };
      const first = await controlEvidencePage({ ...window, limit: 2 });
      expect(first.items).toHaveLength(2);
      expect(first.next).not.toBeNull();
      const all = [...first.items];
      for (let before = first.next; before !== null; ) {
        const page = await controlEvidencePage({ ...window, limit: 2, before });
        all.push(...page.items);
        before = page.next;
      }
      expect(all.map((i) => i.source.kind).sort()).toEqual(['rule', 'rule', 'rule', 'skill', 'skill']);
      expect(all.map((i) => i.seq)).toEqual([...all.map((i) => i.seq)].sort((a, b) => b - a));
      const seqs = await controlEvidenceSeqs({ ...window, max: 100 });
      expect(seqs).toEqual(all.map((i) => i.seq).sort((a, b) => a - b));
    });

    it('holds overrides with their four-eyes outcome', async () => {
      const { overrides } = await listOverrides({ db: h.db, org, limit: 10 });
      expect(overrides).toEqual([
        expect.objectContaining({ id: 'ovr_1', status: 'approved', proposedBy: 'usr_a', decidedBy: 'usr_b' }),
      ]);
      expect(await approvedOverrides({ db: h.db, org })).toEqual([
        { skill: 'risk.eu_ai_act_tier', control: 'GDPR:Art.35', action: 'add' },
      ]);
    });

    it("never mixes one org's evidence or overrides into another's", async () => {
      const victim = await evidenceByControl({ db: h.db, org: other });
      expect(victim.get('EU-AI-ACT:Art.12')).toMatchObject({ count: 1, useCases: ['uc_victim'] });
      expect(victim.get('GDPR:Art.5')?.count).toBe(1);
      expect((await listOverrides({ db: h.db, org: other, limit: 10 })).overrides).toEqual([]);
      const mine = await controlEvidenceSeqs({
        db: h.db,
        org,
        control: 'GDPR:Art.5',
        skills: [],
        max: 10,
      });
      expect(mine).toHaveLength(1);
    });
  });
}
