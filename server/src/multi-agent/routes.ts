import {
  adversarialReviewBody,
  adversarialReviewResult,
  consensusBody,
  consensusPickBody,
  consensusResult,
  type MultiAgentModel,
  multiAgentRun,
  multiAgentRunParams,
  multiAgentSettings,
} from '@proofpane/api';
import {
  type ChatMessage,
  MultiAgentError,
  PROVIDER_IDS,
  type ProviderId,
  pickConsensusAnswer,
  readConsensusSettings,
  updateConsensusSettings,
} from '@proofpane/commands';
import type { EventStore } from '@proofpane/core';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { principalOf, requireRole } from '../auth/index.js';
import type { HitlService } from '../hitl/service.js';
import { apiError } from '../http/errors.js';
import { bearer } from '../http/route-security.js';
import type { MultiAgentService } from './service.js';

const DEFAULT_AGENTS = 5;

const isProvider = (value: string): value is ProviderId =>
  (PROVIDER_IDS as readonly string[]).includes(value);

/** A model named in the body, its provider checked against the ones Proofpane speaks. */
function modelOf(field: string, model: MultiAgentModel) {
  if (!isProvider(model.provider))
    throw apiError('validation_failed', `${field}.provider: one of ${PROVIDER_IDS.join(', ')}`, {
      errors: [{ field: `${field}.provider`, message: `must be one of ${PROVIDER_IDS.join(', ')}` }],
    });
  return { ...model, provider: model.provider };
}

/** A primitive's failure as problem+json, naming the run and, for a quorum, the agents that failed. */
function problemOf(error: unknown): unknown {
  if (error instanceof MultiAgentError) return apiError(error.code, error.message, { ...error.context });
  return error;
}

const callerOf = (request: FastifyRequest) => {
  const principal = principalOf(request);
  return {
    org: principal.org,
    actor: principal.actor,
    caller: {
      ...(principal.userId ? { userId: principal.userId } : {}),
      ...(principal.apiKeyId ? { apiKeyId: principal.apiKeyId } : {}),
    },
  };
};

/** Stops the run's calls when the client hangs up. */
function stopOnClose(reply: { raw: NodeJS.EventEmitter & { writableFinished: boolean } }) {
  const stop = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) stop.abort();
  });
  return stop.signal;
}

/**
 * `/api/multi-agent`: members run consensus and adversarial reviews (governed calls like `/v1`: the
 * gates decide what a run may do) and read runs; admins pick an escalated consensus's answer, as they
 * resolve HITL requests, and set the org's entropy threshold.
 */
export function multiAgentRoutes(options: {
  service: MultiAgentService;
  store: EventStore;
  hitl: HitlService;
}): FastifyPluginAsync {
  const { service, store, hitl } = options;
  return async (app) => {
    const api = app.withTypeProvider<ZodTypeProvider>();
    const tags = ['multi-agent'];
    const member = { onRequest: requireRole('member') };
    const admin = { onRequest: requireRole('admin') };

    api.post(
      '/api/multi-agent/consensus',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'Ask n agents in parallel and decide by vote or by semantic entropy',
          body: consensusBody,
          response: { 200: consensusResult },
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (body.agents && body.n !== undefined && body.n !== body.agents.length)
          throw apiError(
            'validation_failed',
            `body.n: ${body.n} agents asked for, ${body.agents.length} named`,
            {
              errors: [{ field: 'body.n', message: 'must equal the number of agents named, or be left out' }],
            },
          );
        const messages: ChatMessage[] = body.messages
          ? body.messages.map((m) => ({ role: m.role, content: m.content }) as ChatMessage)
          : [{ role: 'user', content: body.prompt ?? '' }];
        const agents = body.agents?.map((a, i) => modelOf(`body.agents.${i}`, a));
        try {
          return await service.consensus({
            ...callerOf(request),
            messages,
            n: agents?.length ?? body.n ?? DEFAULT_AGENTS,
            method: body.method,
            agents,
            threshold: body.threshold,
            outputSchema: body.outputSchema,
            judge: body.judge ? modelOf('body.judge', body.judge) : undefined,
            signal: stopOnClose(reply),
          });
        } catch (error) {
          throw problemOf(error);
        }
      },
    );

    api.post(
      '/api/multi-agent/adversarial-review',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'Draft, critique and revise until the critic finds nothing major, or the rounds run out',
          body: adversarialReviewBody,
          response: { 200: adversarialReviewResult },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const role = (name: 'drafter' | 'critic' | 'reviser') => {
          const model = body[name];
          return model ? modelOf(`body.${name}`, model) : undefined;
        };
        try {
          const result = await service.review({
            ...callerOf(request),
            task: body.task,
            rounds: body.rounds,
            drafter: role('drafter'),
            critic: role('critic'),
            reviser: role('reviser'),
            rubric: body.rubric,
            signal: stopOnClose(reply),
          });
          return {
            runId: result.runId,
            final: result.final,
            rounds: result.rounds,
            stoppedEarly: result.stoppedEarly,
            costMicros: result.costMicros,
          };
        } catch (error) {
          throw problemOf(error);
        }
      },
    );

    api.get(
      '/api/multi-agent/runs/:runId',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: 'A consensus or review run as its events tell it',
          params: multiAgentRunParams,
          response: { 200: multiAgentRun },
        },
      },
      async (request) => {
        const { org } = principalOf(request);
        const view = await service.read(org, request.params.runId);
        if (!view) throw apiError('multi_agent_run_not_found', `no multi-agent run ${request.params.runId}`);
        return view;
      },
    );

    api.post(
      '/api/multi-agent/runs/:runId/pick',
      {
        ...admin,
        schema: {
          tags,
          security: bearer,
          summary: "Choose an escalated consensus's answer and approve its HITL request",
          params: multiAgentRunParams,
          body: consensusPickBody,
          response: { 200: multiAgentRun },
        },
      },
      async (request) => {
        const { org, actor } = principalOf(request);
        const { runId } = request.params;
        const view = await service.read(org, runId);
        if (!view) throw apiError('multi_agent_run_not_found', `no multi-agent run ${runId}`);
        if (view.kind !== 'consensus' || view.status !== 'escalated' || !view.hitlRequestId)
          throw apiError(
            'multi_agent_not_escalated',
            `run ${runId} is ${view.status}: it waits for no person`,
          );
        try {
          await pickConsensusAnswer({ store, org, runId, actor, cluster: request.body.cluster });
        } catch (error) {
          throw problemOf(error);
        }
        await hitl.resolve({
          org,
          requestId: view.hitlRequestId,
          decision: 'approve',
          remember: false,
          note: `answer ${request.body.cluster + 1} chosen on the multi-agent page`,
          actor,
        });
        const settled = await service.read(org, runId);
        if (!settled) throw apiError('multi_agent_run_not_found', `no multi-agent run ${runId}`);
        return settled;
      },
    );

    api.get(
      '/api/multi-agent/settings',
      {
        ...member,
        schema: {
          tags,
          security: bearer,
          summary: "The org's consensus settings",
          response: { 200: multiAgentSettings },
        },
      },
      async (request) => readConsensusSettings({ store, org: principalOf(request).org }),
    );

    api.put(
      '/api/multi-agent/settings',
      {
        ...admin,
        schema: {
          tags,
          security: bearer,
          summary: "Set the org's entropy threshold (an event)",
          body: multiAgentSettings,
          response: { 200: multiAgentSettings },
        },
      },
      async (request) => {
        const { org, actor } = principalOf(request);
        const { entropyThreshold, defaultModel } = request.body;
        return updateConsensusSettings({
          store,
          org,
          actor,
          settings: {
            entropyThreshold,
            defaultModel: defaultModel ? modelOf('body.defaultModel', defaultModel) : null,
          },
        });
      },
    );
  };
}
