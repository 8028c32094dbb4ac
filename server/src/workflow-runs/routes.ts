import {
  cancelWorkflowRunBody,
  startWorkflowRunBody,
  workflowRunDetail,
  workflowRunList,
  workflowRunListQuery,
  workflowRunParams,
  workflowRunStarted,
} from '@proofpane/api';
import {
  cancelWorkflowRun,
  runInputProblems,
  startWorkflowRun,
  useCaseExists,
  type WorkflowEngine,
  workflowRunView,
} from '@proofpane/commands';
import { decodeRunCursor, listWorkflowRuns } from '@proofpane/projections';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf, requireRole } from '../auth/index.js';
import { apiError } from '../http/errors.js';
import { bearer } from '../http/route-security.js';
import { publishedWorkflows, type WorkflowReader } from './published-workflows.js';

const workflowParams = z.strictObject({ id: z.string().min(1).max(100) });
const pointerField = (pointer: string) => `body.input${pointer.replaceAll('/', '.')}`;

/**
 * Runs of the org's workflows: start one on a published version, list them, read one as its events tell
 * it, cancel one. Live updates are the audit stream's (`GET /api/audit/stream?runId=<id>`).
 */
export function workflowRunRoutes(options: {
  workflows: WorkflowReader;
  engine: WorkflowEngine;
}): FastifyPluginAsync {
  const { workflows, engine } = options;
  const published = publishedWorkflows(workflows);
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['workflow-runs'];
    const { store, database } = app.runtime;

    api.post(
      '/api/workflows/:id/runs',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: 'Start a run of a published version (the latest unless one is named)',
          params: workflowParams,
          body: startWorkflowRunBody,
          response: { 202: workflowRunStarted },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { id } = request.params;
        const { input, version, budget, useCaseId } = request.body;
        if (useCaseId !== undefined && !(await useCaseExists({ store, org: principal.org, useCaseId })))
          throw apiError('usecase_not_found', `body.useCaseId: no use case ${useCaseId} in this org`);
        const detail = await workflows.get({ org: principal.org, workflowId: id });
        if (detail.status === 'deprecated' && version === undefined)
          throw apiError(
            'workflow_not_published',
            `workflow ${id} is deprecated; name a published version to run it`,
          );
        const workflow = await published.find({ org: principal.org, workflowId: id, version });
        if (!workflow)
          throw apiError(
            'workflow_not_published',
            version === undefined
              ? `workflow ${id} has no published version`
              : `version ${version} of ${id} was never published`,
          );
        const problems = runInputProblems(workflow.graph, input);
        if (problems.length > 0) {
          const errors = problems.map((p) => ({ field: pointerField(p.path), message: p.message }));
          throw apiError('run_input_invalid', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
            errors,
          });
        }
        const { runId } = await startWorkflowRun({
          store,
          org: principal.org,
          actor: principal.actor,
          workflow,
          input,
          trigger: { kind: 'manual' },
          budget: {
            ...(budget?.maxSteps !== undefined ? { maxSteps: budget.maxSteps } : {}),
            ...(budget?.maxUsd !== undefined ? { maxUsdMicros: Math.round(budget.maxUsd * 1_000_000) } : {}),
            ...(budget?.maxWallSeconds !== undefined ? { maxWallMs: budget.maxWallSeconds * 1_000 } : {}),
          },
          ...(useCaseId !== undefined ? { useCaseId } : {}),
          now: new Date(),
        });
        engine.kick(principal.org, runId);
        reply.status(202);
        return { runId, version: workflow.version };
      },
    );

    api.get(
      '/api/workflow-runs',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: "The org's workflow runs, newest first, by workflow and status",
          querystring: workflowRunListQuery,
          response: { 200: workflowRunList },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const { workflow, status, after, limit } = request.query;
        const cursor = after === undefined ? undefined : decodeRunCursor(after);
        if (after !== undefined && !cursor)
          throw apiError('validation_failed', 'query.after: not a cursor this list gave', {
            errors: [{ field: 'query.after', message: 'not a cursor this list gave' }],
          });
        return listWorkflowRuns(database.db, {
          org: principal.org,
          workflowId: workflow,
          status,
          after: cursor,
          limit,
        });
      },
    );

    const readRun = async (org: string, runId: string) => {
      const view = workflowRunView(runId, await store.readSubject({ org, subject: `run/${runId}` }));
      if (!view) throw apiError('run_not_found', `no workflow run ${runId}`);
      return view;
    };

    api.get(
      '/api/workflow-runs/:id',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary:
            'One run: status, pinned version, input, each step with its attempts, output or error, cost',
          params: workflowRunParams,
          response: { 200: workflowRunDetail },
        },
      },
      async (request) => readRun(principalOf(request).org, request.params.id),
    );

    api.post(
      '/api/workflow-runs/:id/cancel',
      {
        onRequest: requireRole('member'),
        schema: {
          tags,
          security: bearer,
          summary: 'Cancel a run that has not ended',
          params: workflowRunParams,
          body: cancelWorkflowRunBody.optional(),
          response: { 200: workflowRunDetail },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const runId = request.params.id;
        await readRun(principal.org, runId);
        await cancelWorkflowRun({
          store,
          org: principal.org,
          runId,
          actor: principal.actor,
          reason: request.body?.reason,
        });
        engine.kick(principal.org, runId);
        return readRun(principal.org, runId);
      },
    );
  };
}
