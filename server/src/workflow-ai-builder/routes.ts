import {
  type WorkflowBuilderProposal,
  workflowBuilderProposal,
  workflowBuilderProposeBody,
} from '@proofpane/api';
import {
  type Gateway,
  GatewayRefusal,
  type PatchProblem,
  proposeGraphPatch,
  recordGraphPatchProposal,
  type ScriptedSkills,
  type SkillLookup,
  type WorkflowGraph,
  WorkflowPatchRejectedError,
} from '@proofpane/commands';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import { apiError, type ErrorCode } from '../http/errors.js';
import { bearer } from '../http/route-security.js';

/** Where a refused proposal went wrong, as the console's field errors read it. */
function problemSentence(problem: PatchProblem): string {
  if ('op' in problem && problem.op !== undefined) return `operation ${problem.op + 1}, ${problem.message}`;
  if ('node' in problem && problem.node) return `step ${problem.node}: ${problem.message}`;
  return problem.message;
}

function refusalOf(error: unknown): unknown {
  if (error instanceof WorkflowPatchRejectedError)
    return apiError('workflow_patch_rejected', error.message, {
      calls: error.calls,
      problems: error.problems.slice(0, 50),
      errors: error.problems.slice(0, 10).map((p) => ({ field: 'proposal', message: problemSentence(p) })),
    });
  if (error instanceof GatewayRefusal)
    return apiError(error.code as ErrorCode, error.message, {
      callRequestId: error.requestId,
      ...(error.hitlRequestId ? { hitlRequestId: error.hitlRequestId } : {}),
    });
  return error;
}

/**
 * `POST /api/workflows/builder/propose` (docs/workflows.md#ai-builder): a model proposes a JSON Patch
 * against the graph on the canvas, through the governed call. Admins only, as they alone save graphs;
 * nothing is saved here, and the graph comes from the caller, so no other org's data is read.
 */
export function workflowAiBuilderRoutes(options: {
  gateway: Pick<Gateway, 'complete'>;
  skills: SkillLookup & ScriptedSkills;
}): FastifyPluginAsync {
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const { store } = app.runtime;

    api.post(
      '/api/workflows/builder/propose',
      {
        onRequest: requireRole('admin'),
        schema: {
          tags: ['workflows'],
          security: bearer,
          summary:
            "A model's proposed change to a workflow graph, as an RFC 6902 JSON Patch and the graph it yields",
          body: workflowBuilderProposeBody,
          response: { 200: workflowBuilderProposal },
        },
      },
      async (request): Promise<WorkflowBuilderProposal> => {
        const principal = principalOf(request);
        const { org, actor } = principal;
        const { definition, message, history, model } = request.body;
        try {
          const proposal = await proposeGraphPatch(
            { gateway: options.gateway, skills: options.skills },
            {
              org,
              actor,
              caller: {
                ...(principal.userId ? { userId: principal.userId } : {}),
                ...(principal.apiKeyId ? { apiKeyId: principal.apiKeyId } : {}),
                ...(principal.agent ? { agent: principal.agent } : {}),
              },
              graph: definition as WorkflowGraph,
              message,
              ...(history ? { history } : {}),
              ...(model ? { model } : {}),
            },
          );
          const recorded = await recordGraphPatchProposal({ store, org, actor, proposal });
          return {
            proposalId: recorded ? proposal.proposalId : null,
            summary: proposal.summary,
            patch: proposal.patch,
            definition: proposal.graph,
            baseHash: proposal.baseHash,
            resultHash: proposal.resultHash,
            calls: proposal.calls,
            costMicros: proposal.costMicros,
            model: `${proposal.provider}/${proposal.model}`,
          };
        } catch (error) {
          throw refusalOf(error);
        }
      },
    );
  };
}
