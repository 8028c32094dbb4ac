import { type Actor, CoreError } from '@proofpane/core';
import type {
  ConsensusRequest,
  ConsensusResult,
  MultiAgentRunView,
  ReviewRequest,
  ReviewResult,
  RoleModel,
} from '../multi-agent/index.js';
import { PROVIDER_IDS, type ProviderId } from '../providers/types.js';
import { MappingResolutionError, resolveMapping } from '../workflows/mapping.js';
import { multiAgentConfig } from '../workflows/node-configs.js';
import { failedWith, type StepExecutor, type StepResult } from './executors.js';

/** The multi-agent primitives as a step uses them; the server binds them to its store, gateway and HITL. */
export interface MultiAgentRunner {
  consensus(
    request: Omit<ConsensusRequest, 'threshold'> & { threshold?: number | undefined },
  ): Promise<ConsensusResult>;
  /** A role left out uses the org's default model. */
  review(
    request: Omit<ReviewRequest, Role> & Partial<Record<Role, RoleModel | undefined>>,
  ): Promise<ReviewResult>;
  /** Resolves once an escalated consensus settled on its person's decision. */
  settled(org: string, runId: string, hitlRequestId: string): Promise<MultiAgentRunView | undefined>;
}

type Role = 'drafter' | 'critic' | 'reviser';

const RETRYABLE = new Set(['multi_agent_quorum_not_met', 'multi_agent_step_failed']);
const isProvider = (value: string): value is ProviderId =>
  (PROVIDER_IDS as readonly string[]).includes(value);

class ConfigProblem extends Error {}

/** An agent's model as configured; undefined when it names none (the org's default model then). */
function modelOf(agent: {
  provider?: string | undefined;
  model?: string | undefined;
  temperature?: number | undefined;
}): RoleModel | undefined {
  if (agent.provider === undefined && agent.model === undefined) return undefined;
  if (agent.provider === undefined || !isProvider(agent.provider) || agent.model === undefined)
    throw new ConfigProblem(
      `an agent names a provider Proofpane speaks and its model (got ${agent.provider ?? 'none'})`,
    );
  return {
    provider: agent.provider,
    model: agent.model,
    ...(agent.temperature !== undefined ? { temperature: agent.temperature } : {}),
  };
}

const failure = (code: string, message: string, retryable: boolean): StepResult => ({
  status: 'failed',
  code,
  message,
  retryable,
});

/**
 * A multi_agent node: a consensus (or `vote`) or an adversarial review as a run of its own nested under the
 * workflow run, so the tree shows workflow → multi-agent run → its calls (and a review's role sub-runs). A
 * consensus that escalates holds the step until its person decides (within the step's timeout); an
 * approval completes it with the chosen answer, a denial fails it.
 */
export function multiAgentExecutor(runner: MultiAgentRunner): StepExecutor {
  return async ({ org, runId, node, mapping, actor, signal, childRunId }) => {
    const parsed = multiAgentConfig.safeParse(node.config);
    if (!parsed.success) return failedWith('invalid_config', parsed.error, false);
    const config = parsed.data;
    if (
      config.strategy !== 'consensus' &&
      config.strategy !== 'vote' &&
      config.strategy !== 'adversarial_review'
    )
      return failure(
        'not_available',
        `the ${config.strategy} strategy has no primitive; use consensus or adversarial_review`,
        false,
      );
    let task: string;
    try {
      const resolved = resolveMapping(config.task, mapping);
      task = typeof resolved === 'string' ? resolved : JSON.stringify(resolved ?? null);
    } catch (error) {
      if (error instanceof MappingResolutionError) return failedWith('mapping_unresolved', error, false);
      throw error;
    }
    const base = {
      org,
      actor: actor as Actor,
      parentRunId: runId,
      signal,
      ...(childRunId ? { runId: childRunId } : {}),
    };
    try {
      if (config.strategy === 'adversarial_review') {
        const role = (name: string) => modelOf(config.agents.find((a) => a.role === name) ?? {});
        const result = await runner.review({
          ...base,
          task,
          rounds: config.rounds ?? 3,
          drafter: role('drafter'),
          critic: role('critic'),
          reviser: role('reviser'),
          rubric: config.rubric,
        });
        return {
          status: 'completed',
          output: { final: result.final, rounds: result.rounds.length, stoppedEarly: result.stoppedEarly },
          costMicros: result.costMicros,
          childRunId: result.runId,
        };
      }
      const named = config.agents.some((a) => a.provider !== undefined || a.model !== undefined);
      const unnamed = (): never => {
        throw new ConfigProblem(
          'name a model for every agent of the consensus, or for none (the default model)',
        );
      };
      const judge =
        config.judge && isProvider(config.judge.provider)
          ? { ...config.judge, provider: config.judge.provider }
          : undefined;
      const result = await runner.consensus({
        ...base,
        messages: [{ role: 'user', content: task }],
        n: config.agents.length,
        method: config.strategy === 'vote' ? 'vote' : (config.method ?? 'vote'),
        ...(named ? { agents: config.agents.map((a) => modelOf(a) ?? unnamed()) } : {}),
        threshold: config.threshold,
        outputSchema: config.outputSchema,
        judge,
      });
      const output = (answer: string | null, extra: Record<string, unknown> = {}) => ({
        answer,
        tie: result.tie,
        entropy: result.entropy,
        clusters: result.clusters.map((c) => ({ size: c.size, members: c.members })),
        escalated: result.escalated,
        ...extra,
      });
      if (!result.escalated || !result.hitlRequestId)
        return {
          status: 'completed',
          output: output(result.answer),
          costMicros: result.costMicros,
          childRunId: result.runId,
        };
      // A step that times out or is cancelled stops waiting; the consensus run stays escalated for its person.
      const stopped = new Promise<'stopped'>((resolve) => {
        if (signal.aborted) resolve('stopped');
        signal.addEventListener('abort', () => resolve('stopped'), { once: true });
      });
      const settled = await Promise.race([runner.settled(org, result.runId, result.hitlRequestId), stopped]);
      if (settled === 'stopped')
        return failure(
          'consensus_not_approved',
          `no one decided consensus run ${result.runId} in time`,
          false,
        );
      if (settled?.kind !== 'consensus' || settled.status !== 'succeeded')
        return {
          status: 'failed',
          code: 'consensus_not_approved',
          message: `the person did not approve an answer (consensus run ${result.runId} ${settled?.status ?? 'unknown'})`,
          retryable: false,
          costMicros: result.costMicros,
        };
      return {
        status: 'completed',
        output: output(settled.answer, {
          chosenCluster: settled.chosenCluster,
          hitlRequestId: result.hitlRequestId,
        }),
        costMicros: result.costMicros,
        childRunId: result.runId,
      };
    } catch (error) {
      if (error instanceof ConfigProblem) return failure('invalid_config', error.message, false);
      // A run error too (`run_exists`: the attempt's child run was started before a restart).
      if (error instanceof CoreError) return failure(error.code, error.message, RETRYABLE.has(error.code));
      throw error;
    }
  };
}
