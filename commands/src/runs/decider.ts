import { CoreError, type EventData, type RunErrorCode } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import type { Fact } from '../kit/fact.js';

type RunFact = Fact<'cp.run.started' | 'cp.run.completed'>;
type RunKind = EventData<'cp.run.started'>['kind'];
type RunStatus = EventData<'cp.run.completed'>['status'];

export type RunCommand =
  | { type: 'start'; kind: RunKind; name: string }
  /** Start the run unless it exists, whatever its kind or status: an outside caller's calls join it. */
  | { type: 'join'; kind: RunKind; name: string }
  | { type: 'complete'; status: RunStatus; error?: string };

export type RunState =
  | { status: 'none' }
  | { status: 'running'; kind: RunKind }
  | { status: RunStatus; kind: RunKind };

/** Why a run command was refused: a code from the catalogue's runs section, with its status. */
export class RunError extends CoreError {
  constructor(
    override readonly code: RunErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}

/**
 * A run's lifecycle (docs/runs.md): started once, completed once. Starting a run that is already
 * going is a no-op, so producers that retry (and external agents that repeat their run headers) are safe.
 */
export const runDecider: Decider<RunCommand, RunState, RunFact> = {
  initialState: () => ({ status: 'none' }),
  understands: (type) => type === 'cp.run.started' || type === 'cp.run.completed',
  decide(command, state) {
    switch (command.type) {
      case 'start':
        if (state.status === 'running' && state.kind === command.kind) return [];
        if (state.status !== 'none') throw new RunError('run_exists', 'a run with this id already exists');
        return [{ type: 'cp.run.started', data: { kind: command.kind, name: command.name } }];
      case 'join':
        return state.status === 'none'
          ? [{ type: 'cp.run.started', data: { kind: command.kind, name: command.name } }]
          : [];
      case 'complete':
        if (state.status === 'none') throw new RunError('run_not_found', 'no run with this id was started');
        if (state.status !== 'running') throw new RunError('run_finished', `the run already ${state.status}`);
        return [
          {
            type: 'cp.run.completed',
            data: { status: command.status, ...(command.error ? { error: command.error } : {}) },
          },
        ];
      default:
        return command satisfies never;
    }
  },
  evolve(state, fact) {
    switch (fact.type) {
      case 'cp.run.started':
        return { status: 'running', kind: fact.data.kind };
      case 'cp.run.completed':
        return state.status === 'none' ? state : { status: fact.data.status, kind: state.kind };
      default:
        return fact satisfies never;
    }
  },
};
