import { SKILL_CATEGORIES } from '@proofpane/api';
import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from '../gateway/testing/gateway-test-app.js';
import { createKey, registerAccount } from '../identity/testing/identity-test-app.js';

const skillId = 'intake.classify_use_case';
const input = {
  name: 'Help-centre assistant',
  description: 'A chatbot answering customer support questions.',
};
const validAnswer = {
  category: 'customer_support',
  deployment: 'customer_facing',
  techniques: ['text_generation'],
  autonomy: 'human_on_the_loop',
  affectsIndividuals: false,
  rationale: 'It answers customers directly.',
  confidence: 0.7,
};

/** Waits until the org's log holds an event the check accepts. */
async function eventually<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const found = await read();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const driver of testDrivers) {
  describe(`skills over HTTP on ${driver}`, () => {
    let t: GatewayTestApp;
    let memberKey: string;
    const call = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
      fetch(`${t.url}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          authorization: `Bearer ${init.key ?? memberKey}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined
          ? {}
          : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
      });
    const run = (body: unknown, id = skillId) => call(`/api/skills/${id}/run`, { body });

    beforeAll(async () => {
      t = await createGatewayTestApp({ driver });
      memberKey = (await createKey(t.app, { token: t.account.token, role: 'member' })).key;
    });
    afterAll(() => t.close());

    it('lists the catalogue by category to a member, and nothing to a stranger', async () => {
      const res = await call('/api/skills');
      expect(res.status).toBe(200);
      const { categories } = (await res.json()) as {
        categories: { category: string; skills: { id: string }[] }[];
      };
      expect(categories.map((c) => c.category)).toEqual([...SKILL_CATEGORIES]);
      expect(categories.every((c) => c.skills.length === 3)).toBe(true);
      expect(categories[0]!.skills[0]).toMatchObject({ id: skillId, version: '1.0.0', allowedTools: [] });
      expect((await fetch(`${t.url}/api/skills`)).status).toBe(401);
    });

    it('shows one skill’s contract, and 404s an unknown one', async () => {
      const res = await call('/api/skills/risk.eu_ai_act_tier');
      expect(res.status).toBe(200);
      const skill = (await res.json()) as Record<string, unknown>;
      expect(skill).toMatchObject({ id: 'risk.eu_ai_act_tier', category: 'risk' });
      expect(skill.outputSchema).toMatchObject({ type: 'object', additionalProperties: false });
      expect((skill.evalCases as unknown[]).length).toBeGreaterThanOrEqual(3);
      expect(skill.controls).toContain('EU-AI-ACT:Art.6');
      const missing = await call('/api/skills/risk.nope');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ code: 'skill_not_found' });
    });

    it('runs a skill on the demo provider as a run of its own in the caller’s org', async () => {
      const res = await run({ input });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { runId: string; output: Record<string, unknown> };
      expect(body).toMatchObject({
        status: 'succeeded',
        skillId,
        provider: 'demo',
        answers: 1,
        capsuleId: null,
      });
      expect(body.output.category).toBe('customer_support');
      const started = (await t.events(t.account.org, 'cp.run.started')).find(
        (e) => e.subject === `run/${body.runId}`,
      );
      expect(started?.data).toEqual({ kind: 'skill', name: skillId });
      expect(started?.actor.kind).toBe('apikey');
      const call = (await t.events(t.account.org, 'cp.llm.call.completed')).find(
        (e) => e.meta?.runId === body.runId,
      );
      expect(call?.data).toMatchObject({ route: 'skill', demo: true });
      const stranger = await registerAccount(t.app);
      expect((await t.events(stranger.org, 'cp.run.started')).length).toBe(0);
    });

    it('refuses an input the skill’s schema rejects, naming each field, before recording anything', async () => {
      const before = (await t.events(t.account.org, 'cp.run.started')).length;
      const res = await run({ input: { name: 'x', description: '', colour: 'red' } });
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { code: string; errors: { field: string }[] };
      expect(problem.code).toBe('skill_input_invalid');
      expect(problem.errors.map((e) => e.field).sort()).toEqual([
        'body.input.colour',
        'body.input.description',
      ]);
      expect((await t.events(t.account.org, 'cp.run.started')).length).toBe(before);
    });

    it('refuses a malformed body at the edge', async () => {
      const unknownProvider = await run({ input, provider: 'acme' });
      expect(unknownProvider.status).toBe(400);
      expect(await unknownProvider.json()).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'body.provider' }],
      });
      const extra = await run({ input, temperature: 2 });
      expect(extra.status).toBe(400);
      const nul = await run({ input: { ...input, name: 'a\u0000b' } });
      expect(nul.status).toBe(400);
      expect(await nul.json()).toMatchObject({ code: 'validation_failed' });
      expect((await run({ input: 'text' })).status).toBe(400);
      expect((await run({ input }, 'intake.nope')).status).toBe(404);
    });

    it('repairs an answer once through a real vendor, and fails with the run id when the repair fails', async () => {
      const { confidence: _, ...incomplete } = validAnswer;
      t.openai.script({ text: JSON.stringify(incomplete) }, { text: JSON.stringify(validAnswer) });
      const repaired = await run({ input, model: 'gpt-4o-mini' });
      expect(repaired.status).toBe(200);
      expect(await repaired.json()).toMatchObject({ provider: 'openai', answers: 2, output: validAnswer });

      t.openai.script({ text: '{}' }, { text: '[]' });
      const failed = await run({ input, provider: 'openai', model: 'gpt-4o-mini' });
      expect(failed.status).toBe(502);
      const problem = (await failed.json()) as { code: string; runId: string };
      expect(problem.code).toBe('skill_output_invalid');
      const completed = (await t.events(t.account.org, 'cp.run.completed')).find(
        (e) => e.subject === `run/${problem.runId}`,
      );
      expect(completed?.data).toMatchObject({ status: 'failed' });
    });

    it('answers a gate’s refusal with the gate’s code and the run id', async () => {
      const put = await fetch(`${t.url}/api/policy`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ blockedPatterns: [{ name: 'codename', pattern: 'project falcon' }] }),
      });
      expect(put.status).toBe(200);
      const res = await run({ input: { name: 'Falcon', description: 'Assistant for Project Falcon.' } });
      expect(res.status).toBe(403);
      const problem = (await res.json()) as { code: string; runId: string };
      expect(problem.code).toBe('policy_blocked');
      expect(problem.runId).toMatch(/^run_/);
    });

    it('asks a person when the policy says so, and runs once with the approval', async () => {
      const admin = { authorization: `Bearer ${t.account.token}`, 'content-type': 'application/json' };
      const put = await fetch(`${t.url}/api/policy`, {
        method: 'PUT',
        headers: admin,
        body: JSON.stringify({ dlp: { EMAIL: 'hitl' } }),
      });
      expect(put.status).toBe(200);
      const mailInput = {
        name: 'Mailer',
        description: 'Drafts replies to jane.doe@example.com about orders.',
      };
      const asked = await run({ input: mailInput });
      expect(asked.status).toBe(403);
      const refusal = (await asked.json()) as { code: string; hitlRequestId: string; runId: string };
      expect(refusal).toMatchObject({ code: 'hitl_required', runId: expect.stringMatching(/^run_/) });
      const resolved = await fetch(`${t.url}/api/hitl/${refusal.hitlRequestId}/resolve`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ decision: 'approve' }),
      });
      expect(resolved.status).toBe(200);
      const approved = () =>
        fetch(`${t.url}/api/skills/${skillId}/run`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${memberKey}`,
            'content-type': 'application/json',
            'x-proofpane-hitl': refusal.hitlRequestId,
          },
          body: JSON.stringify({ input: mailInput }),
        });
      const first = await approved();
      expect(first.status).toBe(200);
      expect(await first.json()).toMatchObject({ status: 'succeeded' });
      const again = await approved();
      expect(again.status).toBe(403);
      expect(await again.json()).toMatchObject({ code: 'hitl_required' });
    });
  });
}

describe('a skill run whose caller hangs up', () => {
  let t: GatewayTestApp;
  beforeAll(async () => {
    t = await createGatewayTestApp({ driver: 'pglite', env: { PROOFPANE_DEMO_LATENCY_MS: '600000' } });
  });
  afterAll(() => t.close());

  it('stops the demo answer in flight and completes the run as cancelled', async () => {
    const client = new AbortController();
    const pending = fetch(`${t.url}/api/skills/${skillId}/run`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ input }),
      signal: client.signal,
    }).catch((error: unknown) => error);
    const invoked = await eventually(async () => (await t.events(t.account.org, 'cp.skill.invoked'))[0]);
    client.abort();
    await pending;
    const completed = await eventually(async () =>
      (await t.events(t.account.org, 'cp.run.completed')).find((e) => e.subject === invoked.subject),
    );
    expect(completed.data).toMatchObject({ status: 'cancelled' });
    const failedCall = await eventually(async () => (await t.events(t.account.org, 'cp.llm.call.failed'))[0]);
    expect(failedCall.meta?.runId).toBe(invoked.subject.slice('run/'.length));
  });
});
