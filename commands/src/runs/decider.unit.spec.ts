import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { RunError, runDecider } from './decider.js';

const run = deciderSpec(runDecider);
const started = { type: 'cp.run.started', data: { kind: 'workflow', name: 'nightly' } } as const;
const completed = { type: 'cp.run.completed', data: { status: 'succeeded' } } as const;
const isCode = (code: string) => (error: unknown) => error instanceof RunError && error.code === code;

describe('the run decider', () => {
  it('starts a run once; repeating the same start is a no-op', () => {
    run.given([]).when({ type: 'start', kind: 'workflow', name: 'nightly' }).then([started]);
    run.given([started]).when({ type: 'start', kind: 'workflow', name: 'nightly' }).then([]);
    run
      .given([started])
      .when({ type: 'start', kind: 'multi-agent', name: 'x' })
      .thenThrows(isCode('run_exists'));
    run
      .given([started, completed])
      .when({ type: 'start', kind: 'workflow', name: 'nightly' })
      .thenThrows(RunError);
  });

  it('joins a run of any kind or status, starting it only when it does not exist', () => {
    const join = { type: 'join', kind: 'gateway-session', name: 'agent' } as const;
    run
      .given([])
      .when(join)
      .then([{ type: 'cp.run.started', data: { kind: 'gateway-session', name: 'agent' } }]);
    run.given([started]).when(join).then([]);
    run.given([started, completed]).when(join).then([]);
  });

  it('completes a running run once, with the error of a failure', () => {
    run
      .given([started])
      .when({ type: 'complete', status: 'failed', error: 'boom' })
      .then([{ type: 'cp.run.completed', data: { status: 'failed', error: 'boom' } }]);
    run.given([]).when({ type: 'complete', status: 'succeeded' }).thenThrows(isCode('run_not_found'));
    run
      .given([started, completed])
      .when({ type: 'complete', status: 'cancelled' })
      .thenThrows(isCode('run_finished'));
  });

  it('fails a spec whose expectation does not hold', () => {
    expect(() => run.given([]).when({ type: 'start', kind: 'workflow', name: 'nightly' }).then([])).toThrow();
    expect(() =>
      run.given([]).when({ type: 'start', kind: 'workflow', name: 'nightly' }).thenThrows(RunError),
    ).toThrow(/expected the command to be refused/);
    expect(() =>
      run.given([]).when({ type: 'complete', status: 'succeeded' }).thenThrows(isCode('run_finished')),
    ).toThrow(RunError);
  });
});
