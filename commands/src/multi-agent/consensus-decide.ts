import type { EventData } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import { RunError } from '../runs/decider.js';
import { MultiAgentError } from './errors.js';
import type { ConsensusFact } from './facts.js';

type Decided = EventData<'cp.multiagent.consensus.decided'>;

/** Every agent's outcome, recorded in the append that decides (or fails) the run. */
export interface AgentOutcomes {
  answered: EventData<'cp.multiagent.agent.answered'>[];
  failed: EventData<'cp.multiagent.agent.failed'>[];
}

const agentFacts = (agents: AgentOutcomes | undefined): ConsensusFact[] => [
  ...(agents?.answered ?? []).map((data) => ({ type: 'cp.multiagent.agent.answered' as const, data })),
  ...(agents?.failed ?? []).map((data) => ({ type: 'cp.multiagent.agent.failed' as const, data })),
];

export type ConsensusCommand =
  | ({ type: 'request'; name: string } & EventData<'cp.multiagent.consensus.requested'>)
  | ({ type: 'decide'; agents?: AgentOutcomes } & Decided)
  | { type: 'pick'; cluster: number }
  | { type: 'resolve'; decision: 'approved' | 'denied' | 'expired'; answer: string | null }
  | { type: 'fail'; status: 'failed' | 'cancelled'; error: string; agents?: AgentOutcomes };

export type ConsensusState =
  | { status: 'none' }
  | { status: 'other' }
  | { status: 'running'; agents: number; answered: number }
  | { status: 'escalated'; hitlRequestId: string; clusters: number; picked: number | null }
  | { status: 'succeeded' | 'failed' | 'cancelled' };

export const initialConsensusState = (): ConsensusState => ({ status: 'none' });

export function evolveConsensus(state: ConsensusState, fact: ConsensusFact): ConsensusState {
  switch (fact.type) {
    case 'cp.run.started':
      return state.status === 'none' ? { status: 'other' } : state;
    case 'cp.multiagent.consensus.requested':
      return { status: 'running', agents: fact.data.agents.length, answered: 0 };
    case 'cp.multiagent.agent.answered':
      return state.status === 'running' ? { ...state, answered: state.answered + 1 } : state;
    case 'cp.multiagent.agent.failed':
      return state;
    case 'cp.multiagent.consensus.decided':
      return fact.data.escalated && fact.data.hitlRequestId
        ? {
            status: 'escalated',
            hitlRequestId: fact.data.hitlRequestId,
            clusters: fact.data.clusters.length,
            picked: null,
          }
        : state;
    case 'cp.multiagent.consensus.picked':
      return state.status === 'escalated' ? { ...state, picked: fact.data.cluster } : state;
    case 'cp.multiagent.consensus.resolved':
      return state;
    case 'cp.run.completed':
      return { status: fact.data.status };
    default:
      return fact satisfies never;
  }
}

/**
 * A consensus run (docs/multi-agent.md): requested once on a fresh id, its agents' outcomes recorded
 * together, then decided; a decision over the entropy threshold waits for a person, who may pick a
 * cluster before approving; the approval settles on the pick (or the largest cluster), a denial or
 * an expiry fails the run.
 */
export const consensusDecider: Decider<ConsensusCommand, ConsensusState, ConsensusFact> = {
  initialState: initialConsensusState,
  understands: (type) =>
    type === 'cp.run.started' ||
    type === 'cp.run.completed' ||
    type.startsWith('cp.multiagent.consensus.') ||
    type.startsWith('cp.multiagent.agent.'),
  evolve: evolveConsensus,
  decide(command, state) {
    if (command.type === 'request') {
      if (state.status !== 'none') throw new RunError('run_exists', 'a run with this id already exists');
      const { type: _, name, ...requested } = command;
      return [
        { type: 'cp.run.started', data: { kind: 'multi-agent', name } },
        { type: 'cp.multiagent.consensus.requested', data: requested },
      ];
    }
    if (state.status === 'none' || state.status === 'other')
      throw new MultiAgentError('multi_agent_run_not_found', 'no consensus run with this id was started');
    switch (command.type) {
      case 'decide': {
        if (state.status !== 'running') throw new RunError('run_finished', `the run is ${state.status}`);
        const { type: _, agents, ...decided } = command;
        const facts: ConsensusFact[] = [
          ...agentFacts(agents),
          { type: 'cp.multiagent.consensus.decided', data: decided },
        ];
        if (!decided.escalated) facts.push({ type: 'cp.run.completed', data: { status: 'succeeded' } });
        return facts;
      }
      case 'pick':
        if (state.status !== 'escalated')
          throw new MultiAgentError('multi_agent_not_escalated', `the consensus run is ${state.status}`);
        if (command.cluster >= state.clusters)
          throw new MultiAgentError(
            'multi_agent_not_escalated',
            `cluster ${command.cluster} does not exist: the run has ${state.clusters}`,
          );
        return [
          {
            type: 'cp.multiagent.consensus.picked',
            data: { hitlRequestId: state.hitlRequestId, cluster: command.cluster },
          },
        ];
      case 'resolve': {
        // A decision seen twice (the waiter and a reader settling lazily) settles once.
        if (state.status !== 'escalated') return [];
        const approved = command.decision === 'approved';
        return [
          {
            type: 'cp.multiagent.consensus.resolved',
            data: {
              hitlRequestId: state.hitlRequestId,
              decision: command.decision,
              cluster: approved ? (state.picked ?? 0) : null,
              answer: approved ? command.answer : null,
            },
          },
          approved
            ? { type: 'cp.run.completed', data: { status: 'succeeded' } }
            : {
                type: 'cp.run.completed',
                data: {
                  status: 'failed',
                  error: `the escalation was ${command.decision}: no answer was chosen`,
                },
              },
        ];
      }
      case 'fail':
        if (state.status !== 'running' && state.status !== 'escalated')
          throw new RunError('run_finished', `the run is ${state.status}`);
        return [
          ...(state.status === 'running' ? agentFacts(command.agents) : []),
          { type: 'cp.run.completed', data: { status: command.status, error: command.error.slice(0, 500) } },
        ];
      default:
        return command satisfies never;
    }
  },
};
