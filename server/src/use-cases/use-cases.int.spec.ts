import { testDrivers } from '@proofpane/core/testing';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  createKey,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

const intake = (ownerId: string, over: Record<string, unknown> = {}) => ({
  name: 'Applicant ranker',
  purpose: 'Ranks job applicants for employment decisions before a recruiter reads them; high risk.',
  ownerId,
  businessUnit: 'People',
  usersAffected: 'Job applicants',
  dataCategories: ['personal'],
  models: [{ vendor: 'demo', model: 'demo' }],
  autonomy: 'assistive',
  deploymentContext: 'internal',
  riskTier: 'limited',
  ...over,
});

for (const driver of testDrivers) {
  describe(`use cases over HTTP on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let stranger: Account;
    let adminKey: string;
    let memberKey: string;
    /** A second admin of the owner's org, a person of their own. */
    let reviewer: string;

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver });
      owner = await registerAccount(t.app);
      stranger = await registerAccount(t.app);
      adminKey = (await createKey(t.app, { token: owner.token, role: 'admin' })).key;
      memberKey = (await createKey(t.app, { token: owner.token, role: 'member' })).key;
      const invited = await t.app.inject({
        method: 'POST',
        url: '/api/invitations',
        headers: auth(owner.token),
        payload: { email: `reviewer-${driver}@example.test`, role: 'admin' },
      });
      const token = new URL(invited.json().delivery.link).hash.split('token=')[1];
      const accepted = await t.app.inject({
        method: 'POST',
        url: '/api/invitations/accept',
        payload: { token, password: 'quartz lantern meadow 7' },
      });
      expect(accepted.statusCode, accepted.body).toBe(200);
      reviewer = accepted.json().token;
    });
    afterAll(() => t.dispose());

    const call = (token: string, options: InjectOptions) =>
      t.app.inject({ ...options, headers: { ...auth(token), ...options.headers } });
    const register = async (over: Record<string, unknown> = {}, token = owner.token) => {
      const res = await call(token, {
        method: 'POST',
        url: '/api/use-cases',
        payload: intake(owner.userId, over),
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; status: string; version: number };
    };
    const move = (token: string, id: string, to: string, note?: string) =>
      call(token, {
        method: 'POST',
        url: `/api/use-cases/${id}/transition`,
        payload: { to, ...(note ? { note } : {}) },
      });
    it('registers a draft, refuses broken intake rules with the field to fix, and an owner from outside the org', async () => {
      const created = await register();
      expect(created).toMatchObject({ status: 'draft', riskTier: 'limited', annexIIIArea: null, version: 1 });
      const none = await call(owner.token, {
        method: 'POST',
        url: '/api/use-cases',
        payload: intake(owner.userId, { dataCategories: ['none', 'health'] }),
      });
      expect(none.statusCode).toBe(400);
      expect(none.json().detail).toMatch(/none/);
      const high = await call(owner.token, {
        method: 'POST',
        url: '/api/use-cases',
        payload: intake(owner.userId, { riskTier: 'high' }),
      });
      expect(high.statusCode).toBe(400);
      expect(high.json()).toMatchObject({ code: 'usecase_invalid' });
      expect(high.json().detail).toMatch(/annexIIIArea/);
      const foreignOwner = await call(owner.token, {
        method: 'POST',
        url: '/api/use-cases',
        payload: intake(stranger.userId),
      });
      expect(foreignOwner.statusCode).toBe(400);
      expect(foreignOwner.json().detail).toMatch(/ownerId/);
    });

    it('records a PATCH by the fields it changes, and nothing for one that changes nothing', async () => {
      const { id } = await register();
      const before = await t.runtime.store.head(owner.org);
      const same = await call(owner.token, {
        method: 'PATCH',
        url: `/api/use-cases/${id}`,
        payload: { name: 'Applicant ranker', businessUnit: 'People' },
      });
      expect(same.statusCode, same.body).toBe(200);
      expect(await t.runtime.store.head(owner.org)).toEqual(before);
      const changed = await call(owner.token, {
        method: 'PATCH',
        url: `/api/use-cases/${id}`,
        payload: { name: 'Applicant ranker', businessUnit: 'Talent' },
      });
      expect(changed.json()).toMatchObject({ businessUnit: 'Talent', version: 2 });
      const events = await t.runtime.store.readSubject({ org: owner.org, subject: `usecase/${id}` });
      expect(events.at(-1)).toMatchObject({
        type: 'cp.usecase.updated',
        data: { changed: ['businessUnit'], values: { businessUnit: 'Talent' } },
      });
    });

    it('shows the history by field names and notes, paged, never the edited values', async () => {
      const { id } = await register();
      await call(owner.token, {
        method: 'PATCH',
        url: `/api/use-cases/${id}`,
        payload: { purpose: 'secret-ish purpose' },
      });
      await move(owner.token, id, 'in_review', 'ready for HR');
      const first = await call(owner.token, { method: 'GET', url: `/api/use-cases/${id}/history?limit=2` });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json().entries).toEqual([
        expect.objectContaining({ type: 'cp.usecase.registered', actor: { kind: 'user', id: owner.userId } }),
        expect.objectContaining({ type: 'cp.usecase.updated', changed: ['purpose'] }),
      ]);
      expect(first.body).not.toContain('secret-ish purpose');
      const second = await call(owner.token, {
        method: 'GET',
        url: `/api/use-cases/${id}/history?limit=2&after=${first.json().next}`,
      });
      expect(second.json()).toEqual({
        entries: [
          expect.objectContaining({
            type: 'cp.usecase.transitioned',
            from: 'draft',
            to: 'in_review',
            note: 'ready for HR',
          }),
        ],
        next: null,
      });
      const foreign = await call(stranger.token, { method: 'GET', url: `/api/use-cases/${id}/history` });
      expect(foreign.statusCode).toBe(404);
    });

    it('keeps four eyes: neither the submitter nor their own key approves, nor a member; another admin does', async () => {
      const { id } = await register();
      expect((await move(owner.token, id, 'in_review')).statusCode).toBe(200);
      const self = await move(owner.token, id, 'approved');
      expect(self.statusCode).toBe(409);
      expect(self.json()).toMatchObject({ code: 'usecase_four_eyes' });
      const member = await move(memberKey, id, 'approved');
      expect(member.statusCode).toBe(403);
      expect(member.json()).toMatchObject({ code: 'usecase_reviewer_only' });
      // An admin key the submitter created is the submitter's own second pair of hands, not eyes.
      const ownKey = await move(adminKey, id, 'approved');
      expect(ownKey.statusCode).toBe(409);
      expect(ownKey.json()).toMatchObject({ code: 'usecase_four_eyes' });
      const approved = await move(reviewer, id, 'approved', 'reviewed with HR');
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json()).toMatchObject({ status: 'approved' });
      const off = await move(reviewer, id, 'draft');
      expect(off.statusCode).toBe(409);
      expect(off.json()).toMatchObject({ code: 'usecase_lifecycle' });
    });

    it('sends an approved case back to review on a material edit', async () => {
      const { id } = await register();
      await move(owner.token, id, 'in_review');
      expect((await move(reviewer, id, 'approved')).statusCode).toBe(200);
      const cosmetic = await call(owner.token, {
        method: 'PATCH',
        url: `/api/use-cases/${id}`,
        payload: { usersAffected: 'Job applicants in the EU' },
      });
      expect(cosmetic.json()).toMatchObject({ status: 'approved' });
      const material = await call(owner.token, {
        method: 'PATCH',
        url: `/api/use-cases/${id}`,
        payload: { models: [{ vendor: 'anthropic', model: 'claude-sonnet-4-5' }] },
      });
      expect(material.json()).toMatchObject({ status: 'in_review', reviewAuthors: [owner.userId] });
    });

    it('suggests a tier through a governed skill run on the demo model; only a confirmation sets it', async () => {
      const { id } = await register({ riskTier: null });
      const suggested = await call(owner.token, {
        method: 'POST',
        url: `/api/use-cases/${id}/suggest-tier`,
        payload: {},
      });
      expect(suggested.statusCode, suggested.body).toBe(200);
      const suggestion = suggested.json();
      expect(suggestion.runId).toEqual(expect.any(String));
      const afterSuggestion = (
        await call(owner.token, { method: 'GET', url: `/api/use-cases/${id}` })
      ).json();
      expect(afterSuggestion.riskTier).toBeNull();
      expect(afterSuggestion.suggestions).toEqual([
        expect.objectContaining({ runId: suggestion.runId, tier: suggestion.tier, confirmed: false }),
      ]);
      const run = await t.runtime.store.readSubject({ org: owner.org, subject: `run/${suggestion.runId}` });
      expect(run[0]).toMatchObject({ type: 'cp.run.started', data: { kind: 'skill', useCaseId: id } });
      const confirmed = await call(owner.token, {
        method: 'POST',
        url: `/api/use-cases/${id}/confirm-tier`,
        payload: {
          runId: suggestion.runId,
          ...(suggestion.tier === 'high' && suggestion.annexIIIAreas.length === 0
            ? { annexIIIArea: 'EU-AI-ACT:AnnexIII.4' }
            : {}),
        },
      });
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json()).toMatchObject({ riskTier: suggestion.tier });
      const unknown = await call(owner.token, {
        method: 'POST',
        url: `/api/use-cases/${id}/confirm-tier`,
        payload: { runId: 'run_nope' },
      });
      expect(unknown.json()).toMatchObject({ code: 'usecase_suggestion_not_found' });
      const runs = async () => {
        for (let i = 0; i < 400; i++) {
          const body = (await call(owner.token, { method: 'GET', url: `/api/use-cases/${id}/runs` })).json();
          if (body.runs?.[0]?.status === 'succeeded') return body;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error('the suggestion run never showed as succeeded');
      };
      const linked = await runs();
      expect(linked.runs).toEqual([
        expect.objectContaining({ runId: suggestion.runId, kind: 'skill', status: 'succeeded' }),
      ]);
      expect(linked.totalCostMicros).toBe(linked.runs[0].costMicros);
    });

    it('links skill runs that name a case of the org, and refuses a case of another org', async () => {
      const { id } = await register();
      const ran = await call(owner.token, {
        method: 'POST',
        url: '/api/skills/intake.summarize_use_case/run',
        payload: { input: { name: 'HR helper', description: 'A chatbot for HR questions.' }, useCaseId: id },
      });
      expect(ran.statusCode, ran.body).toBe(200);
      const started = await t.runtime.store.readSubject({
        org: owner.org,
        subject: `run/${ran.json().runId}`,
      });
      expect(started[0]).toMatchObject({ type: 'cp.run.started', data: { useCaseId: id } });
      let linked: { runs: { runId: string }[] } = { runs: [] };
      for (let i = 0; i < 400 && linked.runs.length === 0; i++) {
        linked = (await call(owner.token, { method: 'GET', url: `/api/use-cases/${id}/runs` })).json();
        if (linked.runs.length === 0) await new Promise((r) => setTimeout(r, 25));
      }
      expect(linked.runs.map((r) => r.runId)).toEqual([ran.json().runId]);
      const foreign = await call(stranger.token, {
        method: 'POST',
        url: '/api/skills/intake.summarize_use_case/run',
        payload: { input: { name: 'x', description: 'x' }, useCaseId: id },
      });
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json()).toMatchObject({ code: 'usecase_not_found' });
      const wf = await call(stranger.token, {
        method: 'POST',
        url: '/api/workflows/wf_missing/runs',
        payload: { input: {}, useCaseId: id },
      });
      expect(wf.statusCode).toBe(404);
      expect(wf.json()).toMatchObject({ code: 'usecase_not_found' });
    });

    it('links a workflow run that names the case, with its outcome and its nested skill run counted', async () => {
      const { id } = await register();
      const created = await call(owner.token, {
        method: 'POST',
        url: '/api/workflows',
        payload: {
          name: 'screen',
          graph: {
            nodes: [
              { id: 'start', type: 'trigger', config: { kind: 'manual' } },
              {
                id: 'classify',
                type: 'skill',
                config: {
                  skill: 'intake.classify_use_case',
                  input: { name: 'Applicant ranker', description: 'Ranks job applicants.' },
                },
              },
            ],
            edges: [{ from: 'start', to: 'classify' }],
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const workflowId = created.json().id as string;
      await call(owner.token, { method: 'POST', url: `/api/workflows/${workflowId}/publish` });
      const started = await call(owner.token, {
        method: 'POST',
        url: `/api/workflows/${workflowId}/runs`,
        payload: { input: {}, useCaseId: id },
      });
      expect(started.statusCode, started.body).toBe(202);
      const { runId } = started.json();
      let linked: { runs: { runId: string; kind: string; status: string; costMicros: number }[] } = {
        runs: [],
      };
      for (let i = 0; i < 400 && linked.runs[0]?.status !== 'succeeded'; i++) {
        linked = (await call(owner.token, { method: 'GET', url: `/api/use-cases/${id}/runs` })).json();
        if (linked.runs[0]?.status !== 'succeeded') await new Promise((r) => setTimeout(r, 25));
      }
      expect(linked.runs).toEqual([
        expect.objectContaining({ runId, kind: 'workflow', status: 'succeeded' }),
      ]);
      // The same subtree cost the run tree rolls up (the skill step is a child run).
      const tree = (await call(owner.token, { method: 'GET', url: `/api/runs/${runId}/tree` })).json();
      expect(tree.run.children).toHaveLength(1);
      expect(linked.runs[0]!.costMicros).toBe(tree.run.rollup.costMicros);
    });

    it("hides another org's case: 404 on read, edit, move and runs, and absent from its list", async () => {
      const { id } = await register();
      for (const options of [
        { method: 'GET', url: `/api/use-cases/${id}` },
        { method: 'GET', url: `/api/use-cases/${id}/runs` },
        { method: 'PATCH', url: `/api/use-cases/${id}`, payload: { name: 'stolen' } },
        { method: 'POST', url: `/api/use-cases/${id}/transition`, payload: { to: 'in_review' } },
        { method: 'POST', url: `/api/use-cases/${id}/suggest-tier`, payload: {} },
      ] as InjectOptions[]) {
        const res = await call(stranger.token, options);
        expect(res.statusCode, `${options.method} ${options.url}`).toBe(404);
      }
      const theirs = await call(stranger.token, { method: 'GET', url: '/api/use-cases' });
      expect(theirs.json().useCases).toEqual([]);
    });

    it('pages the list and filters it by status and tier', async () => {
      const fresh = await registerAccount(t.app);
      const ids: string[] = [];
      for (const tier of ['minimal', 'limited', 'minimal']) {
        const res = await call(fresh.token, {
          method: 'POST',
          url: '/api/use-cases',
          payload: intake(fresh.userId, { riskTier: tier }),
        });
        ids.push(res.json().id);
      }
      await call(fresh.token, {
        method: 'POST',
        url: `/api/use-cases/${ids[0]}/transition`,
        payload: { to: 'in_review' },
      });
      // The list is a projection: wait until it shows what the log holds.
      const list = async (query: string, count: number) => {
        for (let i = 0; i < 400; i++) {
          const body = (await call(fresh.token, { method: 'GET', url: `/api/use-cases${query}` })).json();
          if (body.useCases.length === count) return body;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error(`the page for ${query} never held ${count}`);
      };
      const inReview = await list('?status=in_review', 1);
      expect(inReview.useCases.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
      const first = await list('?limit=2', 2);
      expect(first.useCases).toHaveLength(2);
      expect(first.next).toEqual(expect.any(String));
      const second = await list(`?limit=2&after=${first.next}`, 1);
      expect(second.useCases).toHaveLength(1);
      expect(second.next).toBeNull();
      expect(new Set([...first.useCases, ...second.useCases].map((c: { id: string }) => c.id))).toEqual(
        new Set(ids),
      );
      const minimal = await list('?tier=minimal', 2);
      expect(minimal.useCases.map((c: { id: string }) => c.id).sort()).toEqual([ids[0], ids[2]].sort());
      const bad = await call(fresh.token, { method: 'GET', url: '/api/use-cases?after=nonsense' });
      expect(bad.statusCode).toBe(400);
    });
  });
}
