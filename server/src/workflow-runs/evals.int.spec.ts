import type { WorkflowGraph } from '@proofpane/commands';
import { testDrivers } from '@proofpane/core/testing';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  auth,
  createIdentityTestApp,
  registerAccount,
} from '../identity/testing/identity-test-app.js';
import type { TestApp } from '../testing/test-app.js';

const graph: WorkflowGraph = {
  nodes: [
    { id: 'start', type: 'trigger', config: { kind: 'manual' } },
    {
      id: 'classify',
      type: 'skill',
      config: {
        skill: 'intake.classify_use_case',
        input: { name: '$.input.name', description: '$.input.description' },
      },
    },
    {
      id: 'sure',
      type: 'condition',
      config: { value: '$.nodes.classify.output.confidence', op: 'gte', compareTo: 0 },
    },
  ],
  edges: [
    { from: 'start', to: 'classify' },
    { from: 'classify', to: 'sure' },
  ],
};
const input = {
  name: 'Help-centre assistant',
  description: 'A chatbot answers customer questions about orders.',
};

for (const driver of testDrivers) {
  describe(`workflow eval suites on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;
    let workflowId: string;

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver, env: { PROOFPANE_WORKFLOW_SWEEP_MS: '50' } });
      owner = await registerAccount(t.app);
      const call = (options: InjectOptions) => t.app.inject({ ...options, headers: auth(owner.token) });
      workflowId = (
        await call({ method: 'POST', url: '/api/workflows', payload: { name: 'evaluated', graph } })
      ).json().id;
      await call({ method: 'POST', url: `/api/workflows/${workflowId}/publish` });
    });
    afterAll(() => t.dispose());

    const runSuite = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/workflows/${workflowId}/evals/run`,
        headers: auth(owner.token),
        payload,
      });

    it('answers pass or fail per case and per check, and records each case and the verdict as events', async () => {
      const res = await runSuite({
        cases: [
          {
            name: 'classified and checked',
            input,
            assertions: [
              {
                node: 'classify',
                type: 'schema',
                schema: { type: 'object', required: ['category', 'confidence'] },
              },
              { node: 'classify', type: 'range', path: '/confidence', min: 0, max: 1 },
              { node: 'sure', type: 'equals', path: '/result', value: true },
            ],
            expectedPath: ['classify', 'sure'],
            maxSteps: 2,
          },
          {
            name: 'a category it never gives',
            input,
            assertions: [{ node: 'classify', type: 'equals', path: '/category', value: 'not-a-category' }],
            expectedPath: ['classify'],
          },
        ],
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ workflowId, version: 1, passed: false });
      expect(
        body.cases.map((c: { name: string; passed: boolean; status: string }) => [
          c.name,
          c.passed,
          c.status,
        ]),
      ).toEqual([
        ['classified and checked', true, 'succeeded'],
        ['a category it never gives', false, 'succeeded'],
      ]);
      const failedChecks = body.cases[1].checks.filter((c: { passed: boolean }) => !c.passed);
      expect(failedChecks).toEqual([
        expect.objectContaining({ kind: 'assertion', node: 'classify', type: 'equals' }),
        { kind: 'path', passed: false, message: 'not expected: sure' },
      ]);

      const events = (await t.runtime.store.readOrg({ org: owner.org })).filter(
        (e) => e.subject === `workflow-eval/${body.evalId}`,
      );
      expect(events.map((e) => e.type)).toEqual([
        'cp.workflow.eval.case.completed',
        'cp.workflow.eval.case.completed',
        'cp.workflow.eval.completed',
      ]);
      expect(events.at(-1)!.data).toMatchObject({ passed: false, cases: 2, failed: 1 });
      const caseRun = (
        await t.runtime.store.readSubject({ org: owner.org, subject: `run/${body.cases[0].runId}` })
      ).find((e) => e.type === 'cp.workflow.run.started');
      expect(caseRun?.data).toMatchObject({ trigger: { kind: 'eval', ref: body.evalId } });
    });

    it('refuses a case naming a node the version does not have, before any run starts', async () => {
      const before = await t.runtime.store.head(owner.org);
      const res = await runSuite({ cases: [{ name: 'x', input, expectedPath: ['nowhere'] }] });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'body.cases.0', message: 'the version has no node nowhere' }],
      });
      expect(await t.runtime.store.head(owner.org)).toEqual(before);
    });
  });
}
