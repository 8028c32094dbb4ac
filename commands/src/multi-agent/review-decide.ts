import type { EventData } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import { RunError } from '../runs/decider.js';
import type { ReviewFact } from './facts.js';

export type ReviewCommand =
  | ({ type: 'request'; name: string } & EventData<'cp.multiagent.review.requested'>)
  | ({ type: 'draft' } & EventData<'cp.multiagent.review.drafted'>)
  | ({ type: 'critique' } & EventData<'cp.multiagent.review.critiqued'>)
  | ({ type: 'revise' } & EventData<'cp.multiagent.review.revised'>)
  | ({ type: 'finish' } & EventData<'cp.multiagent.review.finished'>)
  | { type: 'fail'; status: 'failed' | 'cancelled'; error: string };

export type ReviewState =
  | { status: 'none' }
  | { status: 'other' }
  | { status: 'running'; rounds: number }
  | { status: 'succeeded' | 'failed' | 'cancelled' };

/**
 * An adversarial review run (docs/multi-agent.md): requested once, then each round's draft, critique and
 * revision recorded in turn while it runs, then finished (succeeded) or failed.
 */
export const reviewDecider: Decider<ReviewCommand, ReviewState, ReviewFact> = {
  initialState: () => ({ status: 'none' }),
  understands: (type) =>
    type === 'cp.run.started' || type === 'cp.run.completed' || type.startsWith('cp.multiagent.review.'),
  evolve(state, fact) {
    switch (fact.type) {
      case 'cp.run.started':
        return state.status === 'none' ? { status: 'other' } : state;
      case 'cp.multiagent.review.requested':
        return { status: 'running', rounds: fact.data.rounds };
      case 'cp.multiagent.review.drafted':
      case 'cp.multiagent.review.critiqued':
      case 'cp.multiagent.review.revised':
      case 'cp.multiagent.review.finished':
        return state;
      case 'cp.run.completed':
        return { status: fact.data.status };
      default:
        return fact satisfies never;
    }
  },
  decide(command, state) {
    if (command.type === 'request') {
      if (state.status !== 'none') throw new RunError('run_exists', 'a run with this id already exists');
      const { type: _, name, ...requested } = command;
      return [
        { type: 'cp.run.started', data: { kind: 'multi-agent', name } },
        { type: 'cp.multiagent.review.requested', data: requested },
      ];
    }
    if (state.status !== 'running')
      throw new RunError(
        state.status === 'none' ? 'run_not_found' : 'run_finished',
        `the run is ${state.status}`,
      );
    switch (command.type) {
      case 'draft': {
        const { type: _, ...data } = command;
        return [{ type: 'cp.multiagent.review.drafted', data }];
      }
      case 'critique': {
        const { type: _, ...data } = command;
        return [{ type: 'cp.multiagent.review.critiqued', data }];
      }
      case 'revise': {
        const { type: _, ...data } = command;
        return [{ type: 'cp.multiagent.review.revised', data }];
      }
      case 'finish': {
        const { type: _, ...data } = command;
        return [
          { type: 'cp.multiagent.review.finished', data },
          { type: 'cp.run.completed', data: { status: 'succeeded' } },
        ];
      }
      case 'fail':
        return [
          { type: 'cp.run.completed', data: { status: command.status, error: command.error.slice(0, 500) } },
        ];
      default:
        return command satisfies never;
    }
  },
};
