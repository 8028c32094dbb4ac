import { describe, expect, it } from 'vitest';
import { deciderSpec } from '../kit/decider-spec.js';
import { coderDecider } from './decide.js';
import { CoderError } from './errors.js';
import type { CoderFact } from './facts.js';
import { sandboxCall } from './tools.js';

const spec = deciderSpec(coderDecider);
const sessionId = 'cs_1';
const session = {
  sessionId,
  mode: 'repo' as const,
  goal: 'Make add() handle negatives',
  repo: 'projects/calc',
  branch: 'proofpane/coder/cs_1',
  runId: 'run_1',
  limits: { maxIterations: 20, maxTokens: 200_000 },
};
const created: CoderFact = { type: 'cp.coder.session.created', data: session };
const started: CoderFact = { type: 'cp.coder.session.started', data: { sessionId } };
const iteration: CoderFact = {
  type: 'cp.coder.iteration.recorded',
  data: { sessionId, iteration: 1, inputTokens: 10, outputTokens: 5, toolCalls: [] },
};
const finished: CoderFact = {
  type: 'cp.coder.session.finished',
  data: { sessionId, stop: 'done', filesChanged: 1, diffSha256: 'a'.repeat(64) },
};
const code = (expected: string) => (error: unknown) => error instanceof CoderError && error.code === expected;

describe('the coder session decider', () => {
  it('creates a session awaiting its run; creating it again is refused', () => {
    spec.given([]).when({ type: 'create', session }).then([created]);
    spec.given([created]).when({ type: 'create', session }).thenThrows(code('coder_session_state'));
  });

  it('starts only a session awaiting its run, once', () => {
    spec.given([created]).when({ type: 'start' }).then([started]);
    spec.given([created, started]).when({ type: 'start' }).thenThrows(code('coder_session_state'));
    spec.given([]).when({ type: 'start' }).thenThrows(code('coder_session_not_found'));
  });

  it('numbers iterations while running and refuses them before the run', () => {
    spec
      .given([created, started, iteration])
      .when({ type: 'record', iteration: { inputTokens: 1, outputTokens: 2, toolCalls: [] } })
      .then([
        {
          type: 'cp.coder.iteration.recorded',
          data: { sessionId, iteration: 2, inputTokens: 1, outputTokens: 2, toolCalls: [] },
        },
      ]);
    spec
      .given([created])
      .when({ type: 'record', iteration: { inputTokens: 1, outputTokens: 2, toolCalls: [] } })
      .thenThrows(code('coder_session_state'));
  });

  it('applies or discards a finished session once, and never a running one', () => {
    spec
      .given([created, started, finished])
      .when({ type: 'apply', result: { commit: 'b'.repeat(40) } })
      .then([{ type: 'cp.coder.session.applied', data: { sessionId, commit: 'b'.repeat(40) } }]);
    spec
      .given([created, started, finished])
      .when({ type: 'discard' })
      .then([{ type: 'cp.coder.session.discarded', data: { sessionId } }]);
    spec.given([created, started]).when({ type: 'discard' }).thenThrows(code('coder_session_state'));
    spec
      .given([created, started])
      .when({ type: 'apply', result: {} })
      .thenThrows(code('coder_session_state'));
    const discarded: CoderFact = { type: 'cp.coder.session.discarded', data: { sessionId } };
    spec
      .given([created, started, finished, discarded])
      .when({ type: 'apply', result: {} })
      .thenThrows(code('coder_session_state'));
  });

  it('discards a session that never ran', () => {
    spec
      .given([created])
      .when({ type: 'discard' })
      .then([{ type: 'cp.coder.session.discarded', data: { sessionId } }]);
  });
});

describe('the coder tools', () => {
  it('maps run to the sandboxed bash with the session timeout and refuses malformed arguments', () => {
    expect(sandboxCall('run', { command: 'npm test' }, 60_000)).toEqual({
      tool: 'bash',
      args: { command: 'npm test', timeoutMs: 60_000 },
    });
    expect(sandboxCall('write', { path: 'a.js', content: '' }, 1)).toEqual({
      tool: 'write',
      args: { path: 'a.js', content: '' },
    });
    expect(sandboxCall('read', { file: 'a.js' }, 1)).toBeUndefined();
    expect(sandboxCall('bash', { command: 'ls' }, 1)).toBeUndefined();
    expect(sandboxCall('run', null, 1)).toBeUndefined();
  });
});
