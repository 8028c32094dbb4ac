import { describe, expect, it } from 'vitest';
import { judgeEquivalence } from './equivalence-judge.js';
import type { GovernedCall, ModelCallInput } from './model-call.js';
import { normaliseAnswer } from './normalise.js';

/** A judge that entails when the premise contains the hypothesis's key word, as the table says. */
function tableJudge(entails: (premise: string, hypothesis: string) => boolean) {
  const calls: ModelCallInput[] = [];
  const call: GovernedCall = async (input) => {
    calls.push(input);
    const text = String(input.messages[0]?.content);
    const premise = /Premise: (.*)/.exec(text)?.[1] ?? '';
    const hypothesis = /Hypothesis: (.*)/.exec(text)?.[1] ?? '';
    return { text: JSON.stringify({ entails: entails(premise, hypothesis) }), costMicros: 5, requestId: 'r' };
  };
  return { call, calls };
}

const judge = { provider: 'demo', model: 'demo' } as const;

describe('judgeEquivalence', () => {
  it('finds the same meaning only when each answer entails the other', async () => {
    const { call, calls } = tableJudge(() => true);
    const same = await judgeEquivalence({
      a: 'Paris',
      b: 'The capital is Paris',
      question: 'q',
      judge,
      call,
    });
    expect(same).toEqual({
      equivalent: true,
      aEntailsB: true,
      bEntailsA: true,
      judgeCalls: 2,
      costMicros: 10,
    });
    expect(calls.every((c) => c.responseFormat?.type === 'json-schema' && c.temperature === 0)).toBe(true);
  });

  it('reports one-way entailment as not equivalent, naming the direction', async () => {
    // "Paris, France" entails "Paris" but not the other way round.
    const { call } = tableJudge((premise, hypothesis) => premise.includes(hypothesis));
    const result = await judgeEquivalence({ a: 'Paris, France', b: 'Paris', question: 'q', judge, call });
    expect(result).toMatchObject({ equivalent: false, aEntailsB: true, bEntailsA: false });
  });

  it('asks nothing when the answers are equal once normalised', async () => {
    const { call, calls } = tableJudge(() => false);
    const result = await judgeEquivalence({ a: ' Paris. ', b: 'paris', question: 'q', judge, call });
    expect(result).toMatchObject({ equivalent: true, judgeCalls: 0 });
    expect(calls).toHaveLength(0);
  });

  it('treats an unreadable verdict as no entailment', async () => {
    const call: GovernedCall = async () => ({ text: 'maybe?', costMicros: 1, requestId: 'r' });
    const result = await judgeEquivalence({ a: 'yes', b: 'no', question: 'q', judge, call });
    expect(result).toMatchObject({ equivalent: false, aEntailsB: false, bEntailsA: false });
  });
});

describe('normaliseAnswer', () => {
  it('ignores case, surrounding and repeated whitespace and trailing punctuation', () => {
    expect(normaliseAnswer('  The  ANSWER\nis 42!? ')).toBe('the answer is 42');
    expect(normaliseAnswer('3.5')).toBe('3.5');
  });
});
