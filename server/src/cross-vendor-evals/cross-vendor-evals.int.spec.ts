import { testDrivers } from '@proofpane/core/testing';
import { parsePublishedKeys, verifyPack } from '@proofpane/evidence-verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEntailmentVendor } from '../../../commands/src/cross-vendor-evals/testing/entailment-vendor.js';
import { startFakeGemini } from '../../../commands/src/testing/index.js';
import {
  createGatewayTestApp,
  type GatewayTestApp,
  type Upstream,
} from '../gateway/testing/gateway-test-app.js';
import { createKey, registerAccount } from '../identity/testing/identity-test-app.js';
import { crossVendorRunner } from './runner.js';
import { startSuiteSchedules } from './schedules.js';

const usage = { input: 20, output: 10 };
const refund = {
  type: 'object',
  required: ['approve'],
  properties: { approve: { type: 'boolean' }, reason: { type: 'string' } },
};
const suiteBody = {
  name: 'refund desk',
  cases: [{ input: [{ role: 'user', content: 'Which city is the capital of France?' }] }],
  providers: [
    { provider: 'openai', model: 'gpt-4o-mini' },
    { provider: 'anthropic', model: 'claude-sonnet-4-5' },
    { provider: 'gemini', model: 'gemini-2.5-flash' },
  ],
  judge: { provider: 'openai-compatible', model: 'judge-1' },
};

const demoSuite = {
  cases: [{ input: [{ role: 'user', content: 'hello' }] }],
  providers: [
    { provider: 'demo', model: 'demo' },
    { provider: 'demo', model: 'demo-2' },
  ],
};

type Detail = {
  run: { status: string };
  counts: Record<string, number>;
  cases: { pairs: { a: number; b: number; severity: string; reason: string }[] }[];
  tree: { kind: string; children: { children: { id: string; children: { id: string }[] }[] }[] } | null;
};

for (const driver of testDrivers) {
  describe(`cross-vendor evals over HTTP on ${driver}`, () => {
    let t: GatewayTestApp;
    let gemini: Awaited<ReturnType<typeof startFakeGemini>>;
    let judge: Upstream;
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
    const finished = async (runId: string, key = memberKey): Promise<Detail> => {
      for (;;) {
        const res = await call(`/api/evals/cross-vendor/runs/${runId}`, { key });
        const body = (await res.json()) as Detail;
        const tree = JSON.stringify(body.tree);
        if (body.run.status !== 'running' && !tree.includes('"running"')) return body;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };

    beforeAll(async () => {
      gemini = await startFakeGemini();
      judge = await startEntailmentVendor({ terms: ['Paris', 'Lyon'] });
      t = await createGatewayTestApp({
        driver,
        env: {
          GEMINI_API_KEY: 'gm-test',
          GEMINI_BASE_URL: gemini.url,
          OPENAI_COMPATIBLE_BASE_URL: `${judge.url}/v1`,
        },
      });
      memberKey = (await createKey(t.app, { token: t.account.token, role: 'member' })).key;
    });
    afterAll(async () => {
      await t.close();
      await gemini.close();
      await judge.close();
    });

    it('refuses a suite that cannot run, naming each field to fix', async () => {
      const res = await call('/api/evals/cross-vendor/suites', {
        body: {
          ...suiteBody,
          cases: [
            { input: [{ role: 'user', content: 'x' }], decisionFields: ['approve'], outputSchema: refund },
          ],
          providers: [suiteBody.providers[0], { provider: 'nowhere', model: 'x' }],
          schedule: 'whenever',
        },
      });
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { code: string; errors: { field: string }[] };
      expect(problem.code).toBe('cross_vendor_suite_invalid');
      expect(problem.errors.map((e) => e.field)).toEqual([
        'body.providers.1.provider',
        'body.cases.0.decisionFields.0',
        'body.schedule',
      ]);
      const shape = await call('/api/evals/cross-vendor/suites', { body: { ...suiteBody, providers: [] } });
      expect(shape.status).toBe(400);
      const huge = { type: 'object', description: 'x'.repeat(40_000) };
      const oversized = await call('/api/evals/cross-vendor/suites', {
        body: { ...suiteBody, cases: [{ ...suiteBody.cases[0], outputSchema: huge }] },
      });
      expect(oversized.status).toBe(400);
      expect(await oversized.text()).toContain('at most 32768 characters');
      expect((await fetch(`${t.url}/api/evals/cross-vendor/suites`)).status).toBe(401);
    });

    it('runs a suite over three vendors to a matrix and a four-level tree, and exports it as a verifiable pack', async () => {
      const created = await call('/api/evals/cross-vendor/suites', { body: suiteBody });
      expect(created.status).toBe(201);
      const suite = (await created.json()) as { id: string; caseCount: number; judge: unknown };
      expect(suite).toMatchObject({ caseCount: 1, judge: suiteBody.judge });
      expect((await call(`/api/evals/cross-vendor/suites/${suite.id}`)).status).toBe(200);

      t.openai.script({ text: 'The capital is Paris.', usage });
      t.anthropic.script({ text: 'Paris is the capital of France', usage });
      gemini.script({ text: 'It is Lyon.', usage });
      const started = await call(`/api/evals/cross-vendor/suites/${suite.id}/runs`, { method: 'POST' });
      expect(started.status).toBe(202);
      const { runId } = (await started.json()) as { runId: string };
      const detail = await finished(runId);
      expect(detail.run.status).toBe('succeeded');
      expect(detail.counts).toEqual({ critical: 0, warning: 2, info: 1 });
      expect(detail.cases[0]!.pairs.map((p) => `${p.a}${p.b} ${p.severity} ${p.reason}`)).toEqual([
        '01 info judge_equivalent',
        '02 warning judge_different',
        '12 warning judge_different',
      ]);
      expect(detail.tree?.kind).toBe('cross-vendor');
      expect(detail.tree?.children).toHaveLength(1);
      const judged = detail.tree!.children.flatMap((c) => c.children.flatMap((p) => p.children));
      expect(judged).toHaveLength(3);

      const listed = await call('/api/evals/cross-vendor/runs?limit=1');
      expect(((await listed.json()) as { runs: { id: string }[] }).runs.map((r) => r.id)).toEqual([runId]);

      const member = await call(`/api/evals/cross-vendor/runs/${runId}/evidence-pack`, { method: 'POST' });
      expect(member.status).toBe(403);
      const pack = await call(`/api/evals/cross-vendor/runs/${runId}/evidence-pack`, {
        method: 'POST',
        key: t.key,
      });
      expect(pack.status).toBe(200);
      const keys = parsePublishedKeys(await (await fetch(`${t.url}/.well-known/proofpane-keys.json`)).text());
      if ('error' in keys) throw new Error(keys.error);
      const report = await verifyPack(new Uint8Array(await pack.arrayBuffer()), {
        trust: { kind: 'list', keys: keys.keys },
      });
      expect(report.checks.filter((c) => !c.ok)).toEqual([]);
      expect(report.valid).toBe(true);
      // Exactly the run tree's events: its runs' own subjects and every event carrying one of their ids.
      const all = await t.runtime.store.readOrg({ org: t.account.org });
      const inRun = (id: string | undefined) =>
        id !== undefined && (id === runId || id.startsWith(`${runId}.`));
      const family = all.filter((e) => inRun(e.meta.runId) || inRun(e.subject.replace(/^run\//, '')));
      expect(report.eventCount).toBe(family.length);
    });

    it('starts a scheduled suite once on its tick, whichever of two processes fires it', async () => {
      const created = await call('/api/evals/cross-vendor/suites', {
        body: { ...demoSuite, name: 'nightly', schedule: '* * * * *' },
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const deps = { store: t.runtime.store, gateway: t.app.gateway.gateway, runSkill: t.app.skills.run };
      const processes = [0, 1].map(() => {
        const runner = crossVendorRunner({ deps, log: t.app.log });
        return startSuiteSchedules({
          db: t.runtime.database.db,
          runner,
          log: t.app.log,
          refreshMs: 3_600_000,
          tickMs: 3_600_000,
        });
      });
      try {
        // The suites read model is what the loop reads: wait for the new suite to reach it.
        for (;;) {
          await Promise.all(processes.map((p) => p.refresh()));
          const listed = (await (await call('/api/evals/cross-vendor/suites')).json()) as {
            suites: { id: string }[];
          };
          if (listed.suites.some((s) => s.id === id)) break;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        const tick = new Date(Date.now() + 61_000);
        for (const p of processes) await p.tick(tick);
        let runs: { id: string; trigger: string }[] = [];
        while (runs.length === 0) {
          runs = (
            (await (await call(`/api/evals/cross-vendor/runs?suite=${id}`)).json()) as { runs: typeof runs }
          ).runs;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        expect(runs).toMatchObject([{ trigger: 'schedule' }]);
        const detail = await finished(runs[0]!.id);
        expect(detail.run.status).toBe('succeeded');
        const started = await t.events(t.account.org, 'cp.cross_vendor.run.started');
        expect(started.filter((e) => (e.data as { suiteId: string }).suiteId === id)).toHaveLength(1);
        expect(started.find((e) => (e.data as { suiteId: string }).suiteId === id)?.actor).toEqual({
          kind: 'system',
          id: 'cross-vendor-schedule',
        });
      } finally {
        for (const p of processes) p.stop();
      }
    });

    it('keeps suites and runs to their org', async () => {
      const created = await call('/api/evals/cross-vendor/suites', {
        body: {
          ...suiteBody,
          judge: undefined,
          providers: [
            { provider: 'demo', model: 'demo' },
            { provider: 'demo', model: 'demo-2' },
          ],
        },
      });
      const suite = (await created.json()) as { id: string };
      const { runId } = (await (
        await call(`/api/evals/cross-vendor/suites/${suite.id}/runs`, { method: 'POST' })
      ).json()) as {
        runId: string;
      };
      await finished(runId);
      const stranger = await registerAccount(t.app);
      const { key } = await createKey(t.app, { token: stranger.token, role: 'admin' });
      const as = (path: string, method = 'GET') => call(path, { key, method });
      expect((await as(`/api/evals/cross-vendor/suites/${suite.id}`)).status).toBe(404);
      expect((await as(`/api/evals/cross-vendor/suites/${suite.id}/runs`, 'POST')).status).toBe(404);
      const run = await as(`/api/evals/cross-vendor/runs/${runId}`);
      expect(run.status).toBe(404);
      expect(await run.json()).toMatchObject({ code: 'cross_vendor_run_not_found' });
      expect((await as(`/api/evals/cross-vendor/runs/${runId}/evidence-pack`, 'POST')).status).toBe(404);
      expect(await (await as('/api/evals/cross-vendor/suites')).json()).toEqual({ suites: [], next: null });
      expect(await (await as('/api/evals/cross-vendor/runs')).json()).toEqual({ runs: [], next: null });
    });
  });
}
