import { testDrivers } from '@proofpane/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordedRequest, startFakeOpenAI } from '../../../commands/src/testing/index.js';
import { createGatewayTestApp, type GatewayTestApp } from '../gateway/testing/gateway-test-app.js';
import { createKey } from '../identity/testing/identity-test-app.js';

/** A parsed response body, read loosely in assertions. */
type Json = ReturnType<typeof JSON.parse>;

const CITIES = ['paris', 'lyon', 'nice', 'lille', 'metz'];
const cityOf = (text: string) => CITIES.find((c) => text.toLowerCase().includes(c));

/**
 * The judge's verdicts by meaning (two answers entail each other when they name the same city), whatever
 * order parallel agents reached the fake in; other requests take the scripted queue.
 */
function judgeByCity(request: RecordedRequest) {
  const format = request.body.response_format as { json_schema?: { name?: string } } | undefined;
  if (format?.json_schema?.name !== 'entailment') return undefined;
  const text = JSON.stringify(request.body.messages).replaceAll('\\n', '\n');
  const premise = /Premise: (.*)/.exec(text)?.[1] ?? '';
  const hypothesis = /Hypothesis: (.*)/.exec(text)?.[1] ?? '';
  return {
    text: JSON.stringify({ entails: cityOf(premise) === cityOf(hypothesis) }),
    usage: { input: 30, output: 5 },
  };
}

const agents = (n: number) => Array.from({ length: n }, () => ({ provider: 'openai', model: 'gpt-4o-mini' }));
const replies = (...texts: string[]) => texts.map((text) => ({ text, usage: { input: 20, output: 8 } }));

async function until<T>(read: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const found = await read();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

for (const driver of testDrivers) {
  describe(`multi-agent over HTTP on ${driver}`, () => {
    let t: GatewayTestApp;
    let memberKey: string;
    const call = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
      fetch(`${t.url}${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          authorization: `Bearer ${init.key ?? memberKey}`,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
    const consensus = async (body: unknown) => {
      const res = await call('/api/multi-agent/consensus', { body });
      return { status: res.status, body: (await res.json()) as Record<string, Json> };
    };
    const tree = (runId: string, done: (run: Json) => boolean) =>
      until(async () => {
        const res = await call(`/api/runs/${runId}/tree`);
        const run = res.status === 200 ? ((await res.json()) as { run: Json }).run : undefined;
        return run && done(run) ? run : undefined;
      });

    beforeAll(async () => {
      t = await createGatewayTestApp({ driver, openai: await startFakeOpenAI({ respond: judgeByCity }) });
      memberKey = (await createKey(t.app, { token: t.account.token, role: 'member' })).key;
    });
    afterAll(() => t.close());

    it('decides by majority on the demo provider with no agents named', async () => {
      const { status, body } = await consensus({ prompt: 'Name a colour.', n: 3, method: 'vote' });
      expect(status).toBe(200);
      expect(body).toMatchObject({ method: 'vote', tie: false, escalated: false, entropy: 0 });
      expect(body.clusters).toEqual([{ size: 3, members: [0, 1, 2], representative: body.answer }]);
      expect(body.answer).toContain('[demo]');
    });

    it('reports a vote tie as a tie, with no answer', async () => {
      t.openai.script(...replies('Yes.', 'no', ' YES', 'No!'));
      const { body } = await consensus({ prompt: 'Ship it?', method: 'vote', agents: agents(4) });
      expect(body).toMatchObject({ answer: null, tie: true, escalated: false });
      expect(body.clusters.map((c: { size: number }) => c.size)).toEqual([2, 2]);
      expect(body.entropy).toBeCloseTo(Math.log(2), 10);
    });

    it('finds one cluster by entropy when every answer means the same: SE 0, no person asked', async () => {
      t.openai.script(
        ...replies('Paris', 'It is Paris.', 'paris', 'The capital is Paris', 'Paris, of course'),
      );
      const { body } = await consensus({
        prompt: 'Capital of France?',
        method: 'entropy',
        agents: agents(5),
      });
      expect(body).toMatchObject({ entropy: 0, escalated: false, tie: false });
      expect(body.clusters).toHaveLength(1);
      expect(body.clusters[0].size).toBe(5);
      expect(cityOf(body.answer)).toBe('paris');
      // One representative: each later answer is compared once; "Paris" and "paris" need no judge.
      expect(body.judgeCalls).toBeLessThanOrEqual(2 * 4);
    });

    it('escalates a 3/2 split (SE ≈ 0.6730) to a person who sees the clusters, and the pick becomes the answer', async () => {
      t.openai.script(...replies('Paris', 'Lyon', 'It is Paris', 'Lyon, surely', 'paris'));
      const { body } = await consensus({ prompt: 'Which city?', method: 'entropy', agents: agents(5) });
      expect(body.entropy).toBeCloseTo(-(0.6 * Math.log(0.6) + 0.4 * Math.log(0.4)), 10);
      expect(body.entropy).toBeCloseTo(0.673, 3);
      expect(body).toMatchObject({ escalated: true, answer: null });
      expect(body.clusters.map((c: { size: number }) => c.size)).toEqual([3, 2]);
      // Five answers, two clusters: at most 5 × 2 comparisons, two judge calls each.
      expect(body.judgeCalls).toBeLessThanOrEqual(2 * 5 * 2);

      const hitl = (await (await call(`/api/hitl/${body.hitlRequestId}`, { key: t.key })).json()) as Json;
      expect(hitl).toMatchObject({ kind: 'consensus', status: 'pending' });
      expect(hitl.context.choices.map((c: { size: number }) => c.size)).toEqual([3, 2]);
      expect(hitl.summary).toContain('Answer 2 (2 of 5 agents)');
      const run = (await (await call(`/api/multi-agent/runs/${body.runId}`)).json()) as Json;
      expect(run).toMatchObject({
        kind: 'consensus',
        status: 'escalated',
        hitlRequestId: body.hitlRequestId,
      });

      // A member may not choose; an admin picks the minority answer and the run ends with it.
      expect((await call(`/api/multi-agent/runs/${body.runId}/pick`, { body: { cluster: 1 } })).status).toBe(
        403,
      );
      const picked = await call(`/api/multi-agent/runs/${body.runId}/pick`, {
        body: { cluster: 1 },
        key: t.key,
      });
      expect(picked.status).toBe(200);
      const settled = (await picked.json()) as Json;
      expect(settled).toMatchObject({ status: 'succeeded', chosenCluster: 1 });
      expect(cityOf(settled.answer)).toBe('lyon');
      expect((await (await call(`/api/hitl/${body.hitlRequestId}`, { key: t.key })).json()).status).toBe(
        'approved',
      );
      const again = await call(`/api/multi-agent/runs/${body.runId}/pick`, {
        body: { cluster: 0 },
        key: t.key,
      });
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ code: 'multi_agent_not_escalated' });

      const node = await tree(body.runId, (r) => r.status === 'succeeded');
      expect(node).toMatchObject({ kind: 'multi-agent', status: 'succeeded', parentRunId: null });
      expect(node.costMicros).toBeGreaterThan(0);
    });

    it('fails an escalated run whose request is denied', async () => {
      t.openai.script(...replies('Paris', 'Lyon', 'Paris', 'Lyon', 'Paris'));
      const { body } = await consensus({ prompt: 'Which city?', method: 'entropy', agents: agents(5) });
      expect(body.escalated).toBe(true);
      const denied = await call(`/api/hitl/${body.hitlRequestId}/resolve`, {
        body: { decision: 'deny' },
        key: t.key,
      });
      expect(denied.status).toBe(200);
      const run = await until(async () => {
        const view = (await (await call(`/api/multi-agent/runs/${body.runId}`)).json()) as Json;
        return view.status === 'failed' ? view : undefined;
      });
      expect(run).toMatchObject({ answer: null, chosenCluster: null });
      expect(run.error).toContain('denied');
    });

    it('finds N clusters when no two answers agree: SE = ln N, 10 comparisons for 5 answers', async () => {
      t.openai.script(...replies('Paris', 'Lyon', 'Nice', 'Lille', 'Metz'));
      const { body } = await consensus({
        prompt: 'A city?',
        method: 'entropy',
        agents: agents(5),
        threshold: 5,
      });
      expect(body.entropy).toBeCloseTo(Math.log(5), 10);
      expect(body).toMatchObject({ escalated: false, tie: true, answer: null, judgeCalls: 20 });
      expect(body.clusters).toHaveLength(5);
    });

    it('follows the org threshold set by an admin (an event), and a request may override it', async () => {
      expect(
        (await call('/api/multi-agent/settings', { method: 'PUT', body: { entropyThreshold: 0.7 } })).status,
      ).toBe(403);
      const put = await call('/api/multi-agent/settings', {
        method: 'PUT',
        body: { entropyThreshold: 0.7 },
        key: t.key,
      });
      expect(await put.json()).toEqual({ entropyThreshold: 0.7, defaultModel: null });
      expect(await t.events(t.account.org, 'cp.multiagent.settings.updated')).toHaveLength(1);
      t.openai.script(...replies('Paris', 'Lyon', 'Paris', 'Lyon', 'Paris'));
      const calm = await consensus({ prompt: 'Which city?', method: 'entropy', agents: agents(5) });
      expect(calm.body).toMatchObject({ escalated: false });
      expect(cityOf(calm.body.answer)).toBe('paris');
      t.openai.script(...replies('Paris', 'Lyon', 'Paris', 'Lyon', 'Paris'));
      const strict = await consensus({
        prompt: 'Which city?',
        method: 'entropy',
        agents: agents(5),
        threshold: 0.1,
      });
      expect(strict.body.escalated).toBe(true);
      await call('/api/multi-agent/settings', { method: 'PUT', body: { entropyThreshold: 0.6 }, key: t.key });
    });

    it("asks n copies of the org's default model when no agent is named, and refuses an unknown provider", async () => {
      const bad = await call('/api/multi-agent/settings', {
        method: 'PUT',
        body: { entropyThreshold: 0.6, defaultModel: { provider: 'nope', model: 'x' } },
        key: t.key,
      });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain('body.defaultModel.provider');
      const model = { provider: 'openai', model: 'gpt-4o-mini' };
      const put = await call('/api/multi-agent/settings', {
        method: 'PUT',
        body: { entropyThreshold: 0.6, defaultModel: model },
        key: t.key,
      });
      expect(await put.json()).toEqual({ entropyThreshold: 0.6, defaultModel: model });
      const before = t.openai.requests.length;
      t.openai.script(...replies('Lyon', 'Lyon', 'Lyon'));
      const { body } = await consensus({ prompt: 'Which city?', method: 'vote', n: 3 });
      expect(body.answer).toBe('Lyon');
      expect(t.openai.requests.length - before).toBe(3);
      const view = (await (await call(`/api/multi-agent/runs/${body.runId}`)).json()) as Json;
      expect(view.agents.map((a: { provider: string }) => a.provider)).toEqual([
        'openai',
        'openai',
        'openai',
      ]);
      await call('/api/multi-agent/settings', {
        method: 'PUT',
        body: { entropyThreshold: 0.6, defaultModel: null },
        key: t.key,
      });
    });

    it('decides on the rest when one agent fails above quorum, and records the failure', async () => {
      t.openai.script(...replies('Paris', 'Paris'), { status: 400 }, ...replies('Lyon', 'Paris'));
      const { status, body } = await consensus({ prompt: 'Which city?', method: 'vote', agents: agents(5) });
      expect(status).toBe(200);
      expect(body.failures).toHaveLength(1);
      expect(body.clusters.reduce((n: number, c: { size: number }) => n + c.size, 0)).toBe(4);
      expect(body.answer).toBe('Paris');
      const run = (await (await call(`/api/multi-agent/runs/${body.runId}`)).json()) as Json;
      expect(run.agents.filter((a: { status: string }) => a.status === 'failed')).toHaveLength(1);
    });

    it('fails the run below quorum with a clear error', async () => {
      t.openai.script({ status: 400 }, { status: 400 }, ...replies('Paris'));
      const { status, body } = await consensus({ prompt: 'Which city?', method: 'vote', agents: agents(3) });
      expect(status).toBe(502);
      expect(body).toMatchObject({ code: 'multi_agent_quorum_not_met' });
      expect(body.detail).toContain('1 of 3 agents answered; the quorum is 2');
      expect(body.failures).toHaveLength(2);
      const run = (await (await call(`/api/multi-agent/runs/${body.runId}`)).json()) as Json;
      expect(run.status).toBe('failed');
    });

    it('refuses a body that names both prompt and messages, or a NUL, saying what to fix', async () => {
      const both = await consensus({
        prompt: 'x',
        messages: [{ role: 'user', content: 'x' }],
        method: 'vote',
      });
      expect(both.status).toBe(400);
      expect(JSON.stringify(both.body)).toContain('either messages or prompt');
      const nul = await consensus({ prompt: 'a\u0000b', method: 'vote' });
      expect(nul.status).toBe(400);
      expect((await call('/api/multi-agent/runs/nope')).status).toBe(404);
    });

    it('stops a review early when the critic finds nothing major; each role is a sub-run', async () => {
      t.openai.script(
        ...replies('Draft one.'),
        ...replies(JSON.stringify({ issues: [{ severity: 'minor', text: 'could be shorter' }] })),
      );
      const role = { provider: 'openai', model: 'gpt-4o-mini' };
      const res = await call('/api/multi-agent/adversarial-review', {
        body: { task: 'Write a haiku.', drafter: role, critic: role, reviser: role },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Json;
      expect(body).toMatchObject({ final: 'Draft one.', stoppedEarly: true });
      expect(body.rounds).toEqual([
        {
          draft: 'Draft one.',
          critique: { issues: [{ severity: 'minor', text: 'could be shorter' }] },
          revision: null,
        },
      ]);
      const node = await tree(body.runId, (r) => r.status === 'succeeded' && r.children.length === 2);
      expect(node.kind).toBe('multi-agent');
      expect(node.children.map((c: { name: string }) => c.name).sort()).toEqual(['critic', 'drafter']);
      expect(node.children.every((c: { costMicros: number }) => c.costMicros > 0)).toBe(true);
    });

    it('runs out of rounds while the critic keeps finding major issues, revising each time', async () => {
      const critique = (severity: string) =>
        replies(JSON.stringify({ issues: [{ severity, text: `a ${severity} flaw` }] }));
      t.openai.script(
        ...replies('v1'),
        ...critique('major'),
        ...replies('v2'),
        ...critique('critical'),
        ...replies('v3'),
      );
      const role = { provider: 'openai', model: 'gpt-4o-mini' };
      const res = await call('/api/multi-agent/adversarial-review', {
        body: { task: 'Summarise the memo.', rounds: 2, drafter: role, critic: role, reviser: role },
      });
      const body = (await res.json()) as Json;
      expect(body).toMatchObject({ final: 'v3', stoppedEarly: false });
      expect(body.rounds.map((r: Json) => [r.draft, r.critique.issues[0].severity, r.revision])).toEqual([
        ['v1', 'major', 'v2'],
        ['v2', 'critical', 'v3'],
      ]);
      const org = t.account.org;
      const mine = async (type: string) =>
        (await t.events(org, type)).filter((e) => e.subject === `run/${body.runId}`);
      expect(await mine('cp.multiagent.review.drafted')).toHaveLength(1);
      expect(await mine('cp.multiagent.review.critiqued')).toHaveLength(2);
      const revised = await mine('cp.multiagent.review.revised');
      expect(revised.map((e) => (e.data as { costMicros: number }).costMicros > 0)).toEqual([true, true]);
      const view = (await (await call(`/api/multi-agent/runs/${body.runId}`)).json()) as Json;
      expect(view).toMatchObject({ kind: 'adversarial-review', status: 'succeeded', final: 'v3' });
      expect(view.childRunIds).toHaveLength(3);
    });

    it('reviews on the demo provider offline, stopping when the demo critic raises nothing major', async () => {
      const res = await call('/api/multi-agent/adversarial-review', {
        body: { task: 'Write a release note.' },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Json;
      expect(body.rounds).toHaveLength(1);
      expect(body.stoppedEarly).toBe(true);
    });
  });
}
