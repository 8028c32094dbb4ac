import {
  type ConsensusRequest,
  type ConsensusResult,
  DEFAULT_ENTROPY_THRESHOLD,
  type Gateway,
  type GatewayCaller,
  gatewayCall,
  type ModelRef,
  type ReviewRequest,
  type ReviewResult,
  readConsensusSettings,
  runAdversarialReview,
  runConsensus,
} from '@proofpane/commands';
import type { Actor, EventStore } from '@proofpane/core';
import type { HitlService } from '../hitl/service.js';
import { consensusEscalations } from './escalation.js';

type Caller = Pick<GatewayCaller, 'userId' | 'apiKeyId' | 'agent'>;

/**
 * The multi-agent primitives bound to this server's store, gateway and HITL service: what the routes and
 * the workflow engine's `multi_agent` steps call. Every model call is governed for the caller.
 */
export function createMultiAgentService(options: {
  store: EventStore;
  gateway: Pick<Gateway, 'complete'>;
  hitl: HitlService;
  defaultModel?: ModelRef;
  onError: (error: unknown) => void;
}) {
  const { store, gateway } = options;
  const escalations = consensusEscalations({ hitl: options.hitl, store });
  const call = (org: string, actor: Actor, caller?: Caller) =>
    gatewayCall({ gateway, org, actor, ...(caller ? { caller } : {}) });
  const defaultModel = options.defaultModel ?? { provider: 'demo', model: 'demo' };

  return {
    defaultModel,
    async consensus(
      request: Omit<ConsensusRequest, 'threshold'> & { threshold?: number | undefined; caller?: Caller },
    ): Promise<ConsensusResult> {
      const { caller, ...rest } = request;
      const threshold =
        request.threshold ??
        (request.method === 'entropy'
          ? (await readConsensusSettings({ store, org: request.org })).entropyThreshold
          : DEFAULT_ENTROPY_THRESHOLD);
      const result = await runConsensus(
        {
          store,
          call: call(request.org, request.actor, caller),
          escalation: escalations.escalation,
          defaultModel,
        },
        { ...rest, threshold },
      );
      if (result.hitlRequestId)
        escalations.whenDecided(request.org, result.runId, result.hitlRequestId).catch(options.onError);
      return result;
    },
    review(request: ReviewRequest & { caller?: Caller }): Promise<ReviewResult> {
      const { caller, ...rest } = request;
      return runAdversarialReview({ store, call: call(request.org, request.actor, caller) }, rest);
    },
    read: escalations.read,
    /** Resolves once an escalated run settled (a workflow step waits on it). */
    async settled(org: string, runId: string, hitlRequestId: string) {
      await escalations.whenDecided(org, runId, hitlRequestId);
      return escalations.read(org, runId);
    },
  };
}

export type MultiAgentService = ReturnType<typeof createMultiAgentService>;
