import type { WorkflowStepView } from '@proofpane/api';
import { describe, expect, it } from 'vitest';
import { oneLine, runStepStates } from './run-steps';

const step = (nodeId: string, extra: Partial<WorkflowStepView>): WorkflowStepView => ({
  nodeId,
  status: 'completed',
  attempts: 1,
  startedAt: null,
  endedAt: null,
  costMicros: 0,
  ...extra,
});

describe('a run lighting its canvas', () => {
  it('gives each step its status, its cost when it cost anything, and its output or error on one line', () => {
    const states = runStepStates([
      step('start', { output: { name: 'x' } }),
      step('classify', { status: 'running', costMicros: 12_000 }),
      step('check', { status: 'failed', error: { code: 'timeout', message: 'took too long' } }),
      step('review', { status: 'waiting', outcome: 'approved' }),
    ]);
    expect(states.start).toEqual({ status: 'completed', output: '{"name":"x"}' });
    expect(states.classify!.status).toBe('running');
    expect(states.classify!.cost).toMatch(/^\$0\.01/);
    expect(states.check!.output).toBe('timeout: took too long');
    expect(states.review!.output).toBe('approved');
  });

  it('cuts long outputs to one line', () => {
    expect(oneLine('x'.repeat(200))).toHaveLength(80);
    expect(oneLine('short')).toBe('short');
  });
});
