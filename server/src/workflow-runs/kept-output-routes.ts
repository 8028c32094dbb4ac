import { workflowKeptOutputs, workflowKeptOutputsErased, workflowRunParams } from '@proofpane/api';
import { eraseKeptOutputs, type KeptOutputs } from '@proofpane/commands';
import type { EventStore } from '@proofpane/core';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { bearer } from '../http/route-security.js';

/**
 * The values an integration step kept outside the log (decisions/0052): admins read them beside the run's
 * page and erase them before their retention ends. Every query names the caller's org, so another org's
 * run id finds nothing.
 */
export function keptOutputRoutes(options: { kept: KeptOutputs; store: EventStore }): FastifyPluginAsync {
  const { kept, store } = options;
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['workflow-runs'];
    api.get(
      '/api/workflow-runs/:id/kept-outputs',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: "The run's step outputs kept outside the log, with the SHA-256 each step's event records",
          params: workflowRunParams,
          response: { 200: workflowKeptOutputs },
        },
      },
      async (request) => {
        const rows = await kept.readRun({ org: principalOf(request).org, runId: request.params.id });
        return {
          outputs: [...rows.values()].sort(
            (a, b) => a.nodeId.localeCompare(b.nodeId) || a.attempt - b.attempt,
          ),
        };
      },
    );
    api.delete(
      '/api/workflow-runs/:id/kept-outputs',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags,
          security: bearer,
          summary: "Erases the run's kept step outputs now; the log records how many, never what",
          params: workflowRunParams,
          response: { 200: workflowKeptOutputsErased },
        },
      },
      async (request) => {
        const p = principalOf(request);
        const erased = await eraseKeptOutputs({
          store,
          kept,
          org: p.org,
          runId: request.params.id,
          actor: p.actor,
        });
        return { erased };
      },
    );
  };
}
