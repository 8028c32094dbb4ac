import { describe, expect, it } from 'vitest';
import type { WorkflowRunView } from '../workflow-runs/run-view.js';
import { evaluateCase } from './evaluate.js';

const run = (overrides: Partial<WorkflowRunView> = {}): WorkflowRunView => ({
  id: 'wfr_1',
  workflowId: 'wf_1',
  version: 1,
  graphSha256: 'a'.repeat(64),
  trigger: { kind: 'eval' },
  status: 'succeeded',
  error: null,
  input: {},
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:01.000Z',
  costMicros: 0,
  steps: [
    {
      nodeId: 'classify',
      status: 'completed',
      attempts: 2,
      startedAt: null,
      endedAt: null,
      costMicros: 0,
      output: { tier: 'high', score: 0.8, tags: ['Chatbot'] },
    },
    {
      nodeId: 'check',
      status: 'completed',
      attempts: 1,
      startedAt: null,
      endedAt: null,
      costMicros: 0,
      output: { result: true },
      outcome: 'true',
    },
  ],
  ...overrides,
});

describe('an eval case against its run', () => {
  it('passes every kind of check a correct run meets', () => {
    const checks = evaluateCase(
      {
        name: 'high risk goes to review',
        input: {},
        assertions: [
          { node: 'classify', type: 'equals', path: '/tier', value: 'high' },
          { node: 'classify', type: 'range', path: '/score', min: 0.5, max: 1 },
          { node: 'classify', type: 'contains', path: '/tags', value: 'chatbot' },
          { node: 'check', type: 'schema', schema: { type: 'object', required: ['result'] } },
        ],
        expectedPath: ['check', 'classify'],
        maxSteps: 3,
      },
      run(),
    );
    expect(checks.map((c) => [c.kind, c.passed])).toEqual([
      ['status', true],
      ['assertion', true],
      ['assertion', true],
      ['assertion', true],
      ['assertion', true],
      ['path', true],
      ['steps', true],
    ]);
  });

  it('fails, saying why, on a wrong value, a node that never completed, another path, too many steps, a failed run', () => {
    const checks = evaluateCase(
      {
        name: 'wrong',
        input: {},
        assertions: [
          { node: 'classify', type: 'equals', path: '/tier', value: 'low' },
          { node: 'review', type: 'equals', path: '/decision', value: 'approved' },
        ],
        expectedPath: ['classify', 'review'],
        maxSteps: 2,
      },
      run({ status: 'failed', error: 'budget: the run reached its limit of 2 steps' }),
    );
    expect(checks.filter((c) => !c.passed)).toEqual([
      {
        kind: 'status',
        passed: false,
        message: 'the run failed: budget: the run reached its limit of 2 steps',
      },
      {
        kind: 'assertion',
        node: 'classify',
        type: 'equals',
        passed: false,
        message: '/tier: expected "low", got "high"',
      },
      {
        kind: 'assertion',
        node: 'review',
        type: 'equals',
        passed: false,
        message: 'node review did not complete',
      },
      { kind: 'path', passed: false, message: 'not completed: review; not expected: check' },
      { kind: 'steps', passed: false, message: '3 steps, over the budget of 2' },
    ]);
  });
});
