import type { EventData } from '@proofpane/core';
import type { CoderFact } from './facts.js';

/**
 * A session's life: `awaiting_run` until an operator runs it, `running` while its loop holds it,
 * `finished` with a diff to review, then `applied` or `discarded` (both final).
 */
export type CoderStatus = 'none' | 'awaiting_run' | 'running' | 'finished' | 'applied' | 'discarded';

type Created = EventData<'cp.coder.session.created'>;
type Iteration = EventData<'cp.coder.iteration.recorded'>;
type Finished = EventData<'cp.coder.session.finished'>;
type Applied = EventData<'cp.coder.session.applied'>;

export interface CoderState {
  status: CoderStatus;
  session: Created | null;
  iterations: Iteration[];
  inputTokens: number;
  outputTokens: number;
  finished: Finished | null;
  applied: Applied | null;
}

export const initialCoderState = (): CoderState => ({
  status: 'none',
  session: null,
  iterations: [],
  inputTokens: 0,
  outputTokens: 0,
  finished: null,
  applied: null,
});

export function evolveCoder(state: CoderState, fact: CoderFact): CoderState {
  switch (fact.type) {
    case 'cp.coder.session.created':
      return { ...state, status: 'awaiting_run', session: fact.data };
    case 'cp.coder.session.started':
      return { ...state, status: 'running' };
    case 'cp.coder.iteration.recorded':
      return {
        ...state,
        iterations: [...state.iterations, fact.data],
        inputTokens: state.inputTokens + fact.data.inputTokens,
        outputTokens: state.outputTokens + fact.data.outputTokens,
      };
    case 'cp.coder.session.finished':
      return { ...state, status: 'finished', finished: fact.data };
    case 'cp.coder.session.applied':
      return { ...state, status: 'applied', applied: fact.data };
    case 'cp.coder.session.discarded':
      return { ...state, status: 'discarded' };
    default: {
      const never: never = fact;
      return never;
    }
  }
}
