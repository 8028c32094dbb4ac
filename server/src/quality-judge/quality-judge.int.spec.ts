import type { EventEnvelope } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeVendor, startFakeOpenAI } from '../../../commands/src/testing/index.js';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import { skillRun } from '../quality-drift/testing.js';
import type { TestApp } from '../testing/test-app.js';

const usage = { input: 30, output: 50 };
const SKILL = 'intake.classify_use_case';
const input = { name: 'Help-centre assistant', description: 'A chatbot answering support questions.' };
const verdict = (scores: [number, number, number, number], claims: string[] = []) =>
  JSON.stringify({
    correctness: { score: scores[0], justification: 'Matches the input.' },
    completeness: { score: scores[1], justification: 'Covers the task.' },
    grounding: { score: scores[2], justification: 'Checked against the input.' },
    policyAdherence: { score: scores[3], justification: 'Within the task.' },
    unsupportedClaims: claims,
  });
const openaiJudge = {
  judge: { provider: 'openai', model: 'gpt-4o-mini' },
  secondJudge: null,
  threshold: 3,
  disagreementMargin: 1,
  samplingRate: 1,
  monthlyBudgetMicros: 5_000_000,
};

async function join(t: TestApp, owner: Account, email: string, role: 'admin' | 'member') {
  const invited = await t.app.inject({
    method: 'POST',
    url: '/api/invitations',
    headers: auth(owner.token),
    payload: { email, role },
  });
  const token = (invited.json().delivery.link as string).split('#token=')[1];
  const accepted = await t.app.inject({
    method: 'POST',
    url: '/api/invitations/accept',
    payload: { token, password: 'a member password' },
  });
  if (accepted.statusCode !== 200) throw new Error(accepted.body);
  return { token: accepted.json().token as string, userId: accepted.json().user.id as string };
}

for (const driver of testDrivers) {
  describe(`the L4 judge and the triage queue over HTTP on ${driver}`, () => {
    let t: TestApp;
    let vendor: FakeVendor;
    let a: Account;
    let b: Account;
    let member: { token: string; userId: string };
    let other: { token: string; userId: string };
    beforeAll(async () => {
      vendor = await startFakeOpenAI();
      t = await createIdentityTestApp({
        driver,
        env: {
          PROOFPANE_WORKFLOW_ENGINE: 'off',
          OPENAI_API_KEY: 'sk-judge-spec',
          OPENAI_BASE_URL: `${vendor.url}/v1`,
        },
      });
      a = await registerAccount(t.app);
      b = await registerAccount(t.app);
      member = await join(t, a, `member-${a.org}@judge.test`, 'member');
      other = await join(t, a, `other-${a.org}@judge.test`, 'member');
    });
    afterAll(async () => {
      await t.dispose();
      await vendor.close();
    });

    const post = (token: string, url: string, payload: unknown) =>
      t.app.inject({ method: 'POST', url, headers: auth(token), payload: payload as object });
    const get = (token: string, url: string) => t.app.inject({ method: 'GET', url, headers: auth(token) });
    const events = async (org: string, type: string) =>
      (await t.runtime.store.readOrg({ org })).filter((e: EventEnvelope) => e.type === type);
    const settle = async (account: Account, l4: typeof openaiJudge) => {
      const res = await t.app.inject({
        method: 'PUT',
        url: '/api/quality/settings',
        headers: auth(account.token),
        payload: { l3: { governedAnswers: false }, l4 },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().l4).toEqual(l4);
    };
    const runSkill = async (account: Account) => {
      const res = await post(account.token, `/api/skills/${SKILL}/run`, { input });
      expect(res.statusCode).toBe(200);
      return res.json() as { runId: string; output: Record<string, unknown> };
    };
    /** Polls the list until the read model shows what the check wants (no time asserted). */
    const triage = async (
      token: string,
      until: (items: { id: string; status: string }[]) => boolean,
      query = '',
    ) => {
      for (let i = 0; i < 500; i++) {
        const res = await get(token, `/api/quality/triage${query}`);
        expect(res.statusCode).toBe(200);
        const { items } = res.json();
        if (until(items)) return items;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the triage read model did not catch up');
    };

    it('samples a skill run, judges it below the threshold, and the assignee resolves its triage item; other orgs see nothing', async () => {
      await settle(a, openaiJudge);
      const run = await runSkill(a);
      vendor.script({ text: verdict([2, 4, 2, 5], ['It escalates to a human']), usage });
      expect(await t.app.qualityJudge.pass()).toEqual({ opened: 0, judged: 1 });
      const [judged] = await events(a.org, 'cp.quality.l4.judged');
      expect(judged!.subject).toBe(`run/${run.runId}`);
      expect(judged!.data).toMatchObject({ source: 'sampled', score: 2, passed: false, skill: SKILL });
      // Judged once: another pass finds nothing held.
      expect(await t.app.qualityJudge.pass()).toEqual({ opened: 0, judged: 0 });

      const [item] = await triage(member.token, (items) => items.length === 1);
      expect(item).toMatchObject({
        id: `qt_${run.runId}`,
        status: 'open',
        reasons: ['l4_below_threshold'],
        score: 2,
        unsupportedClaims: ['It escalates to a human'],
      });
      expect((item as { output: string }).output).toContain('Help-centre');

      const path = `/api/quality/triage/${item!.id}`;
      expect((await post(member.token, `${path}/assign`, { assignee: member.userId })).statusCode).toBe(403);
      expect((await post(a.token, `${path}/assign`, { assignee: b.userId })).json().code).toBe(
        'quality_assignee_not_member',
      );
      const assigned = await post(a.token, `${path}/assign`, { assignee: member.userId });
      expect(assigned.json()).toMatchObject({ status: 'assigned', assignee: member.userId });
      const resolution = { resolution: 'true_positive', note: 'The answer invents an escalation path.' };
      expect((await post(other.token, `${path}/resolve`, resolution)).json().code).toBe(
        'quality_triage_forbidden',
      );
      expect((await post(b.token, `${path}/resolve`, resolution)).json().code).toBe(
        'quality_triage_not_found',
      );
      expect(
        (await post(member.token, `${path}/resolve`, { resolution: 'maybe', note: 'x' })).statusCode,
      ).toBe(400);
      const resolved = await post(member.token, `${path}/resolve`, resolution);
      expect(resolved.statusCode).toBe(200);
      expect(resolved.json()).toMatchObject({
        status: 'resolved',
        resolution: 'true_positive',
        resolvedBy: member.userId,
      });
      expect((await post(a.token, `${path}/resolve`, resolution)).json().code).toBe(
        'quality_triage_resolved',
      );
      expect((await events(a.org, 'cp.quality.triage.resolved')).map((e) => e.data)).toEqual([
        { itemId: item!.id, ...resolution },
      ]);
      await triage(
        member.token,
        (items) => items.length === 1 && items[0]!.status === 'resolved',
        '?status=resolved',
      );
      expect((await get(b.token, '/api/quality/triage')).json().items).toEqual([]);
    });

    it('judges on demand: a run with its output checked against its hashes, a dry verdict, and a failed judge', async () => {
      await settle(b, { ...openaiJudge, samplingRate: 0 });
      const run = await runSkill(b);
      // Not sampled: the output is not held.
      expect((await post(b.token, '/api/quality/judge', { runId: run.runId })).json().code).toBe(
        'quality_output_unavailable',
      );
      const tampered = { ...run.output, extra: true };
      expect(
        (await post(b.token, '/api/quality/judge', { runId: run.runId, output: tampered, input })).json()
          .code,
      ).toBe('quality_output_mismatch');
      vendor.script({ text: verdict([5, 4, 4, 5]), usage });
      const judged = await post(b.token, '/api/quality/judge', {
        runId: run.runId,
        output: run.output,
        input,
      });
      expect(judged.statusCode).toBe(200);
      expect(judged.json()).toMatchObject({
        recorded: true,
        triageItemId: null,
        verdict: { score: 4, passed: true },
      });
      expect(await events(b.org, 'cp.quality.l4.judged')).toHaveLength(1);

      vendor.script({ text: verdict([3, 3, 3, 3]), usage });
      const dry = await post(b.token, '/api/quality/judge', {
        output: 'Paris is in France.',
        input: 'Where is Paris?',
      });
      expect(dry.json()).toMatchObject({ recorded: false, judgeId: null, verdict: { score: 3 } });
      expect(await events(b.org, 'cp.quality.l4.judged')).toHaveLength(1);

      vendor.script({ text: 'no verdict', usage }, { text: '{"correctness": 9}', usage });
      const failed = await post(b.token, '/api/quality/judge', { output: 'x' });
      expect(failed.statusCode).toBe(502);
      expect(failed.json().code).toBe('quality_judge_failed');
      expect((await post(b.token, '/api/quality/judge', { runId: 'run_nope' })).json().code).toBe(
        'quality_run_not_judgeable',
      );
    });

    it('stops at the quality budget line: the route refuses and the loop records the month capped once', async () => {
      const c = await registerAccount(t.app);
      await settle(c, { ...openaiJudge, monthlyBudgetMicros: 1 });
      const first = await runSkill(c);
      await runSkill(c);
      vendor.script({ text: verdict([4, 4, 4, 4]), usage });
      expect((await post(c.token, '/api/quality/judge', { runId: first.runId })).statusCode).toBe(200);
      // The spend reaches the read model; then nothing more is judged this month.
      for (let i = 0; i < 500; i++) {
        const res = await post(c.token, '/api/quality/judge', { output: 'x' });
        if (res.statusCode === 402) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect((await post(c.token, '/api/quality/judge', { output: 'x' })).json().code).toBe(
        'quality_budget_exhausted',
      );
      await t.app.qualityJudge.pass();
      await t.app.qualityJudge.pass();
      const capped = await events(c.org, 'cp.quality.sampling.capped');
      expect(capped).toHaveLength(1);
      expect(capped[0]!.data).toMatchObject({ budgetMicros: 1 });
      expect(await events(c.org, 'cp.quality.l4.judged')).toHaveLength(1);
    });

    it('opens a triage item for a skill run whose answer cited an unknown control id', async () => {
      const d = await registerAccount(t.app);
      await t.runtime.store.append({
        org: d.org,
        events: skillRun('run_l3_flagged', 'policy.map_controls', 'flagged'),
      });
      await t.runtime.store.append({
        org: d.org,
        events: skillRun('run_l3_clean', 'policy.map_controls', 'clean'),
      });
      let opened = 0;
      for (let i = 0; i < 500 && opened === 0; i++) {
        opened = (await t.app.qualityJudge.pass()).opened;
        if (opened === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const [item] = await triage(d.token, (items) => items.length === 1);
      expect(item).toMatchObject({
        id: 'qt_run_l3_flagged',
        reasons: ['l3_unknown_ids'],
        l3: { unknown: [{ text: 'Art. 120', framework: 'GDPR' }], misattributed: [] },
        output: null,
      });
    });
  });
}
