import { describe, expect, it } from 'vitest';
import { consensusDecider } from './consensus-decide.js';
import type { ConsensusFact } from './facts.js';
import { reviewDecider } from './review-decide.js';

const hex = 'a'.repeat(64);
const requested: ConsensusFact[] = [
  { type: 'cp.run.started', data: { kind: 'multi-agent', name: 'c' } },
  {
    type: 'cp.multiagent.consensus.requested',
    data: {
      method: 'entropy',
      agents: [{ provider: 'demo', model: 'demo' }],
      quorum: 1,
      threshold: 0.6,
      promptSha256: hex,
    },
  },
];
const escalated: ConsensusFact = {
  type: 'cp.multiagent.consensus.decided',
  data: {
    method: 'entropy',
    answer: null,
    tie: false,
    clusters: [
      { size: 3, members: [0, 1, 2], representative: 'A' },
      { size: 2, members: [3, 4], representative: 'B' },
    ],
    entropy: 0.673,
    comparisons: 6,
    judgeCalls: 12,
    escalated: true,
    hitlRequestId: 'hitl_1',
  },
};
const fold = (facts: ConsensusFact[]) =>
  facts.reduce(consensusDecider.evolve, consensusDecider.initialState());

describe('consensusDecider', () => {
  it('starts the run as kind multi-agent once', () => {
    const [started] = consensusDecider.decide(
      { type: 'request', name: 'c', ...requested[1]!.data } as never,
      fold([]),
    );
    expect(started).toEqual({ type: 'cp.run.started', data: { kind: 'multi-agent', name: 'c' } });
    expect(() =>
      consensusDecider.decide(
        { type: 'request', name: 'c', ...requested[1]!.data } as never,
        fold(requested),
      ),
    ).toThrow(/already exists/);
  });

  it('completes a decision that needs nobody, and leaves an escalated one running', () => {
    const decided = consensusDecider.decide(
      { type: 'decide', ...escalated.data, escalated: false },
      fold(requested),
    );
    expect(decided.map((f) => f.type)).toEqual(['cp.multiagent.consensus.decided', 'cp.run.completed']);
    const waiting = consensusDecider.decide({ type: 'decide', ...escalated.data }, fold(requested));
    expect(waiting.map((f) => f.type)).toEqual(['cp.multiagent.consensus.decided']);
  });

  it('settles an approval on the picked cluster, once', () => {
    const state = fold([
      ...requested,
      escalated,
      { type: 'cp.multiagent.consensus.picked', data: { hitlRequestId: 'hitl_1', cluster: 1 } },
    ]);
    const facts = consensusDecider.decide({ type: 'resolve', decision: 'approved', answer: 'B' }, state);
    expect(facts[0]).toEqual({
      type: 'cp.multiagent.consensus.resolved',
      data: { hitlRequestId: 'hitl_1', decision: 'approved', cluster: 1, answer: 'B' },
    });
    expect(facts[1]).toEqual({ type: 'cp.run.completed', data: { status: 'succeeded' } });
    expect(
      consensusDecider.decide(
        { type: 'resolve', decision: 'approved', answer: 'B' },
        fold([...requested, escalated, ...facts]),
      ),
    ).toEqual([]);
  });

  it('fails the run when the escalation is denied, and refuses a pick of a cluster that does not exist', () => {
    const state = fold([...requested, escalated]);
    const facts = consensusDecider.decide({ type: 'resolve', decision: 'denied', answer: null }, state);
    expect(facts[1]).toMatchObject({ type: 'cp.run.completed', data: { status: 'failed' } });
    expect(() => consensusDecider.decide({ type: 'pick', cluster: 2 }, state)).toThrow(/does not exist/);
    expect(() => consensusDecider.decide({ type: 'pick', cluster: 0 }, fold(requested))).toThrow(/running/);
  });
});

describe('reviewDecider', () => {
  it('records rounds only while the review runs', () => {
    const facts = reviewDecider.decide(
      {
        type: 'request',
        name: 'r',
        rounds: 2,
        drafter: { provider: 'demo', model: 'demo' },
        critic: { provider: 'demo', model: 'demo' },
        reviser: { provider: 'demo', model: 'demo' },
        taskSha256: hex,
      },
      reviewDecider.initialState(),
    );
    const running = facts.reduce(reviewDecider.evolve, reviewDecider.initialState());
    const finished = reviewDecider.decide(
      { type: 'finish', rounds: 1, stoppedEarly: true, finalSha256: hex },
      running,
    );
    const done = finished.reduce(reviewDecider.evolve, running);
    expect(done).toEqual({ status: 'succeeded' });
    expect(() =>
      reviewDecider.decide(
        { type: 'draft', round: 2, runId: 'x', requestId: 'y', text: 't', costMicros: 0 },
        done,
      ),
    ).toThrow(/succeeded/);
  });
});
