import type { EventData } from '@proofpane/core';
import type { Decider } from '../kit/decider.js';
import { CoderError } from './errors.js';
import { CODER_FACT_TYPES, type CoderFact } from './facts.js';
import { type CoderState, type CoderStatus, evolveCoder, initialCoderState } from './state.js';

export type CoderCommand =
  | { type: 'create'; session: EventData<'cp.coder.session.created'> }
  | { type: 'start' }
  | { type: 'record'; iteration: Omit<EventData<'cp.coder.iteration.recorded'>, 'sessionId' | 'iteration'> }
  | { type: 'finish'; outcome: Omit<EventData<'cp.coder.session.finished'>, 'sessionId'> }
  | { type: 'apply'; result: Omit<EventData<'cp.coder.session.applied'>, 'sessionId'> }
  | { type: 'discard' };

const must = (state: CoderState, allowed: readonly CoderStatus[], what: string) => {
  if (state.status === 'none') throw new CoderError('coder_session_not_found', 'no such session');
  if (!allowed.includes(state.status))
    throw new CoderError('coder_session_state', `the session is ${state.status}; ${what}`);
  return state.session!.sessionId;
};

/**
 * A session's invariants: created once, run once (an operator starts it, never its creation), iterations
 * recorded only while running, and apply or discard only once, as the last word. A running session is
 * neither applied nor discarded: its loop still writes to the worktree.
 */
export function decideCoder(command: CoderCommand, state: CoderState): CoderFact[] {
  switch (command.type) {
    case 'create':
      if (state.status !== 'none') throw new CoderError('coder_session_state', 'the session exists already');
      return [{ type: 'cp.coder.session.created', data: command.session }];
    case 'start': {
      const sessionId = must(state, ['awaiting_run'], 'only a session awaiting its run is started');
      return [{ type: 'cp.coder.session.started', data: { sessionId } }];
    }
    case 'record': {
      const sessionId = must(state, ['running'], 'iterations are recorded while it runs');
      return [
        {
          type: 'cp.coder.iteration.recorded',
          data: { sessionId, iteration: state.iterations.length + 1, ...command.iteration },
        },
      ];
    }
    case 'finish': {
      const sessionId = must(state, ['running'], 'only a running session finishes');
      return [{ type: 'cp.coder.session.finished', data: { sessionId, ...command.outcome } }];
    }
    case 'apply': {
      const sessionId = must(state, ['finished'], 'only a finished session is applied');
      return [{ type: 'cp.coder.session.applied', data: { sessionId, ...command.result } }];
    }
    case 'discard': {
      const sessionId = must(
        state,
        ['awaiting_run', 'finished'],
        'a running, applied or discarded session is not discarded',
      );
      return [{ type: 'cp.coder.session.discarded', data: { sessionId } }];
    }
    default: {
      const never: never = command;
      return never;
    }
  }
}

export const coderDecider: Decider<CoderCommand, CoderState, CoderFact> = {
  decide: decideCoder,
  evolve: evolveCoder,
  initialState: initialCoderState,
  understands: (type) => (CODER_FACT_TYPES as readonly string[]).includes(type),
};
