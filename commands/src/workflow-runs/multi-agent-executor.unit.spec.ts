import { describe, expect, it } from 'vitest';
import type { ConsensusResult } from '../multi-agent/index.js';
import { MultiAgentError } from '../multi-agent/index.js';
import type { WorkflowNode } from '../workflows/graph.js';
import { multiAgentConfig } from '../workflows/node-configs.js';
import type { StepContext } from './executors.js';
import { type MultiAgentRunner, multiAgentExecutor } from './multi-agent-executor.js';

const issues = (config: unknown) =>
  multiAgentConfig.safeParse(config).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

const decided: ConsensusResult = {
  runId: 'run_c',
  answer: 'Paris',
  method: 'vote',
  clusters: [{ size: 2, members: [0, 1], representative: 'Paris' }],
  entropy: 0,
  tie: false,
  escalated: false,
  failures: [],
  comparisons: 0,
  judgeCalls: 0,
  costMicros: 7,
};

function context(config: Record<string, unknown>): StepContext {
  return {
    org: 'org_a',
    runId: 'wf_1',
    workflowId: 'wf',
    version: 1,
    node: { id: 'panel', type: 'multi_agent', config } as WorkflowNode,
    attempt: 1,
    mapping: { input: { question: 'Which city?' }, nodes: {} } as unknown as StepContext['mapping'],
    childRunId: 'run_child',
    actor: { kind: 'user', id: 'usr_a' },
    signal: new AbortController().signal,
  };
}

function runner(overrides: Partial<MultiAgentRunner> = {}) {
  const asked: unknown[] = [];
  const value: MultiAgentRunner = {
    consensus: async (request) => {
      asked.push(request);
      return decided;
    },
    review: async () => {
      throw new Error('not asked');
    },
    settled: async () => undefined,
    ...overrides,
  };
  return { value, asked };
}

describe('multi_agent node configs', () => {
  it('accepts a consensus and a review with their own parameters', () => {
    expect(
      issues({
        strategy: 'consensus',
        method: 'entropy',
        threshold: 0.5,
        agents: [{ role: 'a' }],
        task: '$.input',
      }),
    ).toEqual([]);
    expect(
      issues({
        strategy: 'adversarial_review',
        rubric: 'short',
        agents: [{ role: 'critic' }],
        task: '$.input',
        rounds: 2,
      }),
    ).toEqual([]);
  });

  it('refuses parameters of the other primitive and review roles it does not know', () => {
    expect(
      issues({
        strategy: 'adversarial_review',
        method: 'vote',
        agents: [{ role: 'drafter' }],
        task: '$.input',
      }),
    ).toEqual(['method: only a consensus takes method']);
    expect(issues({ strategy: 'consensus', rubric: 'x', agents: [{ role: 'a' }], task: '$.input' })).toEqual([
      'rubric: only an adversarial review takes a rubric',
    ]);
    expect(issues({ strategy: 'adversarial_review', agents: [{ role: 'judge' }], task: '$.input' })).toEqual([
      'agents.0.role: a review role is one of drafter, critic, reviser',
    ]);
  });
});

describe('multiAgentExecutor', () => {
  it('runs a consensus nested under the workflow run, as the attempt’s child run', async () => {
    const { value, asked } = runner();
    const result = await multiAgentExecutor(value)(
      context({ strategy: 'consensus', agents: [{ role: 'a' }, { role: 'b' }], task: '$.input.question' }),
    );
    expect(asked[0]).toMatchObject({
      parentRunId: 'wf_1',
      runId: 'run_child',
      n: 2,
      method: 'vote',
      messages: [{ role: 'user', content: 'Which city?' }],
    });
    expect((asked[0] as { agents?: unknown }).agents).toBeUndefined();
    expect(result).toMatchObject({
      status: 'completed',
      output: { answer: 'Paris' },
      costMicros: 7,
      childRunId: 'run_c',
    });
  });

  it('refuses a consensus that names a model for some agents only', async () => {
    const { value } = runner();
    const result = await multiAgentExecutor(value)(
      context({
        strategy: 'consensus',
        agents: [{ role: 'a', provider: 'openai', model: 'gpt-4o-mini' }, { role: 'b' }],
        task: '$.input.question',
      }),
    );
    expect(result).toMatchObject({ status: 'failed', code: 'invalid_config', retryable: false });
  });

  it('fails a step below quorum as retryable, and a denied escalation as not', async () => {
    const below = runner({
      consensus: async () => {
        throw new MultiAgentError('multi_agent_quorum_not_met', '1 of 3 agents answered; the quorum is 2');
      },
    });
    const step = context({ strategy: 'consensus', agents: [{ role: 'a' }], task: '$.input.question' });
    expect(await multiAgentExecutor(below.value)(step)).toMatchObject({
      status: 'failed',
      code: 'multi_agent_quorum_not_met',
      retryable: true,
    });
    const denied = runner({
      consensus: async () => ({ ...decided, escalated: true, answer: null, hitlRequestId: 'hitl_1' }),
      settled: async () =>
        ({ kind: 'consensus', status: 'failed' }) as Awaited<ReturnType<MultiAgentRunner['settled']>>,
    });
    expect(await multiAgentExecutor(denied.value)(step)).toMatchObject({
      status: 'failed',
      code: 'consensus_not_approved',
      retryable: false,
    });
  });
});
