import type { NewEvent } from '@proofpane/core';
import { testDrivers } from '@proofpane/core/testing';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createKey,
  registerAccount,
  strongTestPassword,
} from '../identity/testing/identity-test-app.js';
import { createClockedApp } from '../quality-drift/testing.js';

const SKILL = 'intake.classify_use_case';
const DAY = 86_400_000;
const T0 = Date.parse('2026-04-01T09:00:00.000Z');

async function invite(app: FastifyInstance, owner: Account, role: 'admin' | 'member') {
  const email = `${role}-${Date.now()}-${Math.random().toString(36).slice(2)}@example.test`;
  const invited = await app.inject({
    method: 'POST',
    url: '/api/invitations',
    headers: auth(owner.token),
    payload: { email, role },
  });
  const token = (invited.json().delivery.link as string).split('#token=')[1];
  const accepted = await app.inject({
    method: 'POST',
    url: '/api/invitations/accept',
    payload: { token, password: strongTestPassword },
  });
  if (accepted.statusCode !== 200) throw new Error(accepted.body);
  return { token: accepted.json().token as string, userId: accepted.json().user.id as string };
}

for (const driver of testDrivers) {
  describe(`genes and capsules over HTTP on ${driver}`, () => {
    let t: Awaited<ReturnType<typeof createClockedApp>>;
    let owner: Account;
    let ownerKey: string;
    let bob: { token: string; userId: string };
    let member: { token: string; userId: string };
    beforeAll(async () => {
      t = await createClockedApp({ driver, start: new Date(T0) });
      owner = await registerAccount(t.app);
      ownerKey = (await createKey(t.app, { token: owner.token, role: 'admin' })).key;
      bob = await invite(t.app, owner, 'admin');
      member = await invite(t.app, owner, 'member');
    });
    afterAll(() => t.dispose());

    const call = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
      t.app.inject({
        method,
        url,
        headers: auth(token),
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
    /** Polls the admin view until the evolution read model has applied every event (no time asserted). */
    const caughtUp = async () => {
      for (let i = 0; i < 500; i++) {
        const res = await call(owner.token, 'GET', '/api/admin/projections');
        const models = res.json().projections as { name: string; lag: number }[] | undefined;
        if (models?.every((m) => m.lag === 0)) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the read models did not catch up');
    };
    const propose = async (token: string, text: string) => {
      const res = await call(token, 'POST', '/api/genes', {
        skill: SKILL,
        text,
        rationale: 'Runs were repaired',
      });
      expect(res.statusCode).toBe(201);
      await caughtUp();
      return res.json() as { id: string; status: string; proposedBy: string };
    };

    it('proposes, approves with four eyes, activates, and names the capsule on the run that it answered', async () => {
      const gene = await propose(owner.token, 'Name the category before the rationale.');
      expect(gene).toMatchObject({ status: 'proposed', proposedBy: owner.userId, origin: 'person' });

      const own = await call(owner.token, 'POST', `/api/genes/${gene.id}/approve`, {});
      expect(own.statusCode).toBe(409);
      expect(own.json().code).toBe('evolution_four_eyes');
      // An API key counts as the person who created it.
      const viaKey = await call(ownerKey, 'POST', `/api/genes/${gene.id}/approve`, {});
      expect(viaKey.json().code).toBe('evolution_four_eyes');
      expect((await call(member.token, 'POST', `/api/genes/${gene.id}/approve`, {})).statusCode).toBe(403);

      const approved = await call(bob.token, 'POST', `/api/genes/${gene.id}/approve`, {});
      expect(approved.statusCode).toBe(200);
      const capsuleId = approved.json().capsuleId as string;
      expect(approved.json()).toMatchObject({ status: 'approved', decidedBy: bob.userId });
      await caughtUp();
      const listed = (await call(member.token, 'GET', `/api/capsules?skill=${SKILL}`)).json();
      expect(listed.capsules.map((c: { id: string; active: boolean }) => [c.id, c.active])).toEqual([
        [capsuleId, false],
        [expect.stringMatching(/^[0-9a-f]{64}$/), false],
      ]);

      const before = await call(member.token, 'POST', `/api/skills/${SKILL}/run`, {
        input: { name: 'Help desk bot', description: 'Answers customer questions.' },
      });
      expect(before.json().capsuleId).toBeNull();
      const activated = await call(bob.token, 'POST', `/api/capsules/${capsuleId}/activate`, {});
      expect(activated.statusCode).toBe(200);
      expect(activated.json()).toMatchObject({ id: capsuleId, active: true, activatedBy: bob.userId });
      expect(activated.json().diff).toContain('+- Name the category before the rationale.');
      const again = await call(bob.token, 'POST', `/api/capsules/${capsuleId}/activate`, {});
      expect(again.json().code).toBe('evolution_capsule_active');

      const run = await call(member.token, 'POST', `/api/skills/${SKILL}/run`, {
        input: { name: 'Help desk bot', description: 'Answers customer questions.' },
      });
      expect(run.json().capsuleId).toBe(capsuleId);
      const events = await t.store.readOrg({ org: owner.org });
      const ofRun = events.filter(
        (e) => e.subject === `run/${run.json().runId}` || e.meta?.runId === run.json().runId,
      );
      expect(ofRun.find((e) => e.type === 'cp.skill.invoked')?.data).toMatchObject({ capsuleId });
      expect(ofRun.find((e) => e.type === 'cp.llm.call.completed')?.data).toMatchObject({ capsuleId });

      await caughtUp();
      const detail = (await call(member.token, 'GET', `/api/capsules/${capsuleId}`)).json();
      expect(detail.text).toContain('- Name the category before the rationale.');
      expect(detail.geneTexts).toEqual([{ id: gene.id, text: 'Name the category before the rationale.' }]);
      expect(detail.recentRuns.map((r: { runId: string }) => r.runId)).toEqual([run.json().runId]);
      const capsules = (await call(member.token, 'GET', `/api/capsules?skill=${SKILL}`)).json();
      expect(capsules.activations).toMatchObject([
        { capsuleId, previousCapsuleId: null, activatedBy: bob.userId },
      ]);

      // Rollback: activating the base capsule.
      const baseId = detail.previousCapsuleId as string;
      const rolled = await call(bob.token, 'POST', `/api/capsules/${baseId}/activate`, {});
      expect(rolled.json()).toMatchObject({ id: baseId, active: true, diff: null });
    });

    it('rejects a gene, which never enters a capsule, and replays one judged pairwise', async () => {
      const rejected = await propose(member.token, 'Answer in one word.');
      const res = await call(bob.token, 'POST', `/api/genes/${rejected.id}/reject`, { reason: 'Too terse' });
      expect(res.json()).toMatchObject({ status: 'rejected', rejectReason: 'Too terse' });
      expect((await call(bob.token, 'POST', `/api/genes/${rejected.id}/approve`, {})).json().code).toBe(
        'evolution_gene_lifecycle',
      );
      const replayed = await propose(member.token, 'Mention the deployment context.');
      const replay = await call(bob.token, 'POST', `/api/genes/${replayed.id}/replay`, { inputs: 2 });
      expect(replay.statusCode).toBe(200);
      expect(replay.json().replay).toMatchObject({
        judge: 'schema+eval-cases',
        inputs: 'eval-cases',
        ties: 2,
      });
      await caughtUp();
      const genes = (await call(member.token, 'GET', `/api/genes?skill=${SKILL}&status=rejected`)).json()
        .genes;
      expect(genes.map((g: { id: string }) => g.id)).toEqual([rejected.id]);
      const listed = (await call(member.token, 'GET', `/api/genes?status=proposed`)).json().genes;
      expect(listed.find((g: { id: string }) => g.id === replayed.id).replay.ties).toBe(2);
    });

    it('refuses bad input at the edge', async () => {
      const long = await call(member.token, 'POST', '/api/genes', {
        skill: SKILL,
        text: 'x'.repeat(401),
        rationale: 'r',
      });
      expect(long.statusCode).toBe(400);
      const nul = await call(member.token, 'POST', '/api/genes', {
        skill: SKILL,
        text: 'a\u0000b',
        rationale: 'r',
      });
      expect(nul.statusCode).toBe(400);
      const unknown = await call(member.token, 'POST', '/api/genes', {
        skill: 'intake.nothing',
        text: 'a',
        rationale: 'r',
      });
      expect(unknown.json().code).toBe('evolution_skill_not_found');
      expect((await call(member.token, 'GET', `/api/capsules/${'0'.repeat(64)}`)).json().code).toBe(
        'evolution_capsule_not_found',
      );
      expect((await call(member.token, 'PUT', '/api/evolution/settings', {})).statusCode).toBe(403);
    });

    it('dreams on schedule under the lease, and deprecates a gene no capsule used for stale_after_days', async () => {
      const other = await registerAccount(t.app);
      const admin = await invite(t.app, other, 'admin');
      const settings = {
        dreamsEnabled: true,
        dreamIntervalMinutes: 60,
        maxOpenProposals: 2,
        staleAfterDays: 30,
        replayInputs: 3,
        model: null,
      };
      // A body without the budget line leaves it at its default.
      expect((await call(other.token, 'PUT', '/api/evolution/settings', settings)).json()).toEqual({
        ...settings,
        monthlyBudgetUsd: 5,
        replayKeepRuns: 50,
        replayKeepDays: 30,
      });
      const subject = 'run/r_dream';
      const actor = { kind: 'system' as const, id: 'spec' };
      const signals: NewEvent[] = [
        {
          type: 'cp.skill.invoked',
          subject,
          actor,
          data: {
            skillId: SKILL,
            skillVersion: '1.0.0',
            capsuleId: null,
            inputSha256: 'c'.repeat(64),
            provider: 'demo',
            model: 'demo',
          },
        },
        {
          type: 'cp.skill.output.rejected',
          subject,
          actor,
          data: { attempt: 1, requestId: 'req_1', errors: ['/category: is required'] },
        },
      ];
      const [, repaired] = await t.store.append({ org: other.org, events: signals });
      const now = new Date(T0);
      const first = await t.app.evolution.dreamPass(other.org, now);
      expect(first).toMatchObject({ dreamt: true, proposed: 1, signals: 1 });
      expect((await t.app.evolution.dreamPass(other.org, new Date(T0 + 30 * 60_000))).dreamt).toBe(false);
      await caughtUp();
      const [dreamt] = (await call(other.token, 'GET', '/api/genes')).json().genes;
      expect(dreamt).toMatchObject({
        origin: 'dream',
        proposedBy: null,
        status: 'proposed',
        motivatingEventIds: [repaired!.id],
        evidenceRunIds: ['r_dream'],
      });

      // Approved by a person at T0; no capsule holding it answers a run afterwards.
      t.clock.now = new Date(T0);
      expect((await call(admin.token, 'POST', `/api/genes/${dreamt.id}/approve`, {})).json().status).toBe(
        'approved',
      );
      await caughtUp();
      expect((await t.app.evolution.dreamPass(other.org, new Date(T0 + 10 * DAY))).deprecated).toBe(0);
      const late = await t.app.evolution.dreamPass(other.org, new Date(T0 + 31 * DAY));
      expect(late.deprecated).toBe(1);
      const deprecated = (await t.store.readOrg({ org: other.org })).find(
        (e) => e.type === 'cp.evolution.gene.deprecated',
      );
      expect(deprecated?.data).toMatchObject({
        geneId: dreamt.id,
        rule: 'stale_after_days',
        staleAfterDays: 30,
        by: null,
      });
      await caughtUp();
      expect((await call(other.token, 'GET', `/api/genes/${dreamt.id}`)).json()).toMatchObject({
        status: 'deprecated',
        deprecatedRule: 'stale_after_days',
      });
      // Another org's genes are not found here.
      expect((await call(owner.token, 'GET', `/api/genes/${dreamt.id}`)).statusCode).toBe(404);
    });

    it('answers a capsule the read model has not applied yet from the log, in its own org only', async () => {
      const gene = await propose(owner.token, 'Quote the deciding sentence of the description.');
      const approved = (await call(bob.token, 'POST', `/api/genes/${gene.id}/approve`, {})).json();
      await caughtUp();
      // The read model's row is taken away: what a route sees while the projection lags behind the append.
      await sql`DELETE FROM evolution_capsules WHERE org = ${owner.org} AND capsule_id = ${approved.capsuleId}`.execute(
        t.app.runtime.database.db,
      );
      const res = await call(member.token, 'GET', `/api/capsules/${approved.capsuleId}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        id: approved.capsuleId,
        skill: SKILL,
        active: false,
        recentRuns: [],
      });
      expect(res.json().text).toContain('- Quote the deciding sentence of the description.');
      expect(res.json().geneTexts).toContainEqual({
        id: gene.id,
        text: 'Quote the deciding sentence of the description.',
      });
      expect(res.json().diff).toContain('+- Quote the deciding sentence of the description.');
      const stranger = await registerAccount(t.app);
      const foreign = await call(stranger.token, 'GET', `/api/capsules/${approved.capsuleId}`);
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json().code).toBe('evolution_capsule_not_found');
    });
  });
}
