import { evalSuiteResult, runEvalSuiteBody } from '@proofpane/api';
import { type EvalCase, runEvalSuite, runInputProblems, type WorkflowEngine } from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/index.js';
import { apiError } from '../http/errors.js';
import { bearer } from '../http/route-security.js';
import { publishedWorkflows, type WorkflowReader } from './published-workflows.js';

const DEFAULT_TIMEOUT_S = 60;

/**
 * `POST /api/workflows/:id/evals/run`: each case a run of a published version, checked against its
 * assertions, expected path and step budget; the verdicts are recorded as events and answered.
 */
export function evalRoutes(options: {
  workflows: WorkflowReader;
  engine: WorkflowEngine;
}): FastifyPluginAsync {
  const published = publishedWorkflows(options.workflows);
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().post(
      '/api/workflows/:id/evals/run',
      {
        onRequest: requireRole('member'),
        schema: {
          tags: ['workflow-runs'],
          security: bearer,
          summary: 'Run an eval suite on a published version: pass or fail per case and per check',
          params: z.strictObject({ id: z.string().min(1).max(100) }),
          body: runEvalSuiteBody,
          response: { 200: evalSuiteResult },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { id } = request.params;
        const { cases, version, timeoutSeconds } = request.body;
        await options.workflows.get({ org: principal.org, workflowId: id });
        const workflow = await published.find({ org: principal.org, workflowId: id, version });
        if (!workflow)
          throw apiError('workflow_not_published', `workflow ${id} has no such published version`);
        const nodes = new Set(workflow.graph.nodes.map((n) => n.id));
        const errors = cases.flatMap((c, i) => [
          ...runInputProblems(workflow.graph, c.input).map((p) => ({
            field: `body.cases.${i}.input${p.path.replaceAll('/', '.')}`,
            message: p.message,
          })),
          ...[...(c.assertions ?? []).map((a) => a.node), ...(c.expectedPath ?? [])]
            .filter((node) => !nodes.has(node))
            .map((node) => ({ field: `body.cases.${i}`, message: `the version has no node ${node}` })),
        ]);
        if (errors.length > 0)
          throw apiError('validation_failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
            errors,
          });
        const result = await runEvalSuite({
          store: app.runtime.store,
          org: principal.org,
          actor: principal.actor,
          workflow,
          cases: cases as EvalCase[],
          kick: (runId) => options.engine.kick(principal.org, runId),
          timeoutMs: (timeoutSeconds ?? DEFAULT_TIMEOUT_S) * 1_000,
        });
        return { ...result, workflowId: id, version: workflow.version };
      },
    );
  };
}
