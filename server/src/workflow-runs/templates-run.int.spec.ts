import { WORKFLOW_TEMPLATES } from '@proofpane/commands';
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

interface RunBody {
  status: string;
  error: string | null;
  steps: { nodeId: string; status: string; hitlRequestId?: string }[];
}

for (const driver of testDrivers) {
  describe(`every workflow template runs to the end on the demo provider, on ${driver}`, () => {
    let t: TestApp;
    let owner: Account;

    beforeAll(async () => {
      t = await createIdentityTestApp({ driver, env: { PROOFPANE_WORKFLOW_SWEEP_MS: '50' } });
      owner = await registerAccount(t.app);
    });
    afterAll(() => t.dispose());

    const call = (options: InjectOptions) => t.app.inject({ ...options, headers: auth(owner.token) });

    it.each(WORKFLOW_TEMPLATES.map((template) => [template.id, template] as const))(
      '%s: its sample input runs to success, approving whatever asks a person',
      async (_id, template) => {
        const cloned = await call({
          method: 'POST',
          url: '/api/workflows/from-template',
          payload: { templateId: template.id },
        });
        expect(cloned.statusCode, cloned.body).toBe(201);
        const workflowId = cloned.json().id as string;
        expect((await call({ method: 'POST', url: `/api/workflows/${workflowId}/publish` })).statusCode).toBe(
          200,
        );
        const started = await call({
          method: 'POST',
          url: `/api/workflows/${workflowId}/runs`,
          payload: { input: template.sampleInput },
        });
        expect(started.statusCode, started.body).toBe(202);
        const { runId } = started.json();
        const approved = new Set<string>();
        let run: RunBody | undefined;
        for (let i = 0; i < 1_200; i++) {
          run = (await call({ method: 'GET', url: `/api/workflow-runs/${runId}` })).json() as RunBody;
          if (['succeeded', 'failed', 'cancelled'].includes(run.status)) break;
          for (const step of run.steps) {
            if (step.status !== 'waiting' || !step.hitlRequestId || approved.has(step.hitlRequestId))
              continue;
            const resolved = await call({
              method: 'POST',
              url: `/api/hitl/${step.hitlRequestId}/resolve`,
              payload: { decision: 'approve' },
            });
            // The request opens a moment after the wait is recorded.
            if (resolved.statusCode === 200) approved.add(step.hitlRequestId);
          }
          await new Promise((r) => setTimeout(r, 25));
        }
        expect(run, `run ${runId}`).toMatchObject({ status: 'succeeded', error: null });
        expect(run!.steps.every((s) => s.status === 'completed')).toBe(true);
      },
    );
  });
}
