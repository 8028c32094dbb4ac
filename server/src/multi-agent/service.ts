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
  type RoleModel,
  readConsensusSettings,
  runAdversarialReview,
  runConsensus,
} from '@proofpane/commands';
import type { Actor, EventStore } from '@proofpane/core';
import type { HitlService } from '../hitl/service.js';
import { consensusEscalations } from './escalation.js';

type Caller = Pick<GatewayCaller, 'userId' | 'apiKeyId' | 'agent'>;
type Roles = 'drafter' | 'critic' | 'reviser';

/**
 * The multi-agent primitives bound to this server's store, gateway and HITL service: what the routes and
 * the workflow engine's `multi_agent` steps call. Every model call is governed for the caller; what a
 * request leaves out comes from the org's settings (threshold, default model), then the deployment's.
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
  const deploymentModel = options.defaultModel ?? { provider: 'demo', model: 'demo' };
  const settingsOf = async (org: string) => {
    const settings = await readConsensusSettings({ store, org });
    return { ...settings, model: settings.defaultModel ?? deploymentModel };
  };

  return {
    async consensus(
      request: Omit<ConsensusRequest, 'threshold'> & { threshold?: number | undefined; caller?: Caller },
    ): Promise<ConsensusResult> {
      const { caller, ...rest } = request;
      const settings = await settingsOf(request.org);
      const threshold =
        request.threshold ??
        (request.method === 'entropy' ? settings.entropyThreshold : DEFAULT_ENTROPY_THRESHOLD);
      const result = await runConsensus(
        {
          store,
          call: call(request.org, request.actor, caller),
          escalation: escalations.escalation,
          defaultModel: settings.model,
        },
        { ...rest, threshold },
      );
      if (result.hitlRequestId)
        escalations.whenDecided(request.org, result.runId, result.hitlRequestId).catch(options.onError);
      return result;
    },
    async review(
      request: Omit<ReviewRequest, Roles> &
        Partial<Record<Roles, RoleModel | undefined>> & { caller?: Caller },
    ): Promise<ReviewResult> {
      const { caller, ...rest } = request;
      const { model } = await settingsOf(request.org);
      return runAdversarialReview(
        { store, call: call(request.org, request.actor, caller) },
        {
          ...rest,
          drafter: request.drafter ?? model,
          critic: request.critic ?? model,
          reviser: request.reviser ?? model,
        },
      );
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
