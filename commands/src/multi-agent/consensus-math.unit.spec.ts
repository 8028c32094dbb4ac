import { describe, expect, it } from 'vitest';
import type { AgentAnswer } from './answers.js';
import { clusterByMeaning } from './cluster.js';
import { quorumOf, semanticEntropy } from './entropy.js';
import type { GovernedCall } from './model-call.js';
import { decisionFields, vote } from './vote.js';

const answers = (...texts: string[]): AgentAnswer[] =>
  texts.map((text, agentIndex) => ({ agentIndex, text }));

/** A judge that finds the same meaning when both answers name the same city; counts its calls. */
function cityJudge() {
  const counter = { calls: 0 };
  const city = (s: string) => /paris|lyon|nice|lille|metz/i.exec(s)?.[0].toLowerCase();
  const call: GovernedCall = async (input) => {
    counter.calls++;
    const text = String(input.messages[0]?.content);
    const premise = /Premise: (.*)/.exec(text)?.[1] ?? '';
    const hypothesis = /Hypothesis: (.*)/.exec(text)?.[1] ?? '';
    return {
      text: JSON.stringify({ entails: city(premise) === city(hypothesis) }),
      costMicros: 1,
      requestId: 'r',
    };
  };
  return { call, counter };
}

const judge = { provider: 'demo', model: 'demo' } as const;

describe('semanticEntropy', () => {
  it('is 0 for one cluster', () => {
    expect(semanticEntropy([5])).toBe(0);
  });
  it('is −(0.6 ln 0.6 + 0.4 ln 0.4) ≈ 0.6730 for a 3/2 split of 5', () => {
    expect(semanticEntropy([3, 2])).toBeCloseTo(0.673_011_667, 8);
  });
  it('is ln N when every answer stands alone', () => {
    expect(semanticEntropy([1, 1, 1, 1, 1])).toBeCloseTo(Math.log(5), 12);
  });
  it('is 0.5004 for a 4/1 split', () => {
    expect(semanticEntropy([4, 1])).toBeCloseTo(0.500_402_423, 8);
  });
});

describe('quorumOf', () => {
  it('is a strict majority', () => {
    expect([1, 2, 3, 4, 5, 6].map(quorumOf)).toEqual([1, 2, 2, 3, 3, 4]);
  });
});

describe('vote', () => {
  it('counts normalised answers and names the majority', () => {
    const result = vote(answers('Paris.', ' paris', 'Lyon', 'PARIS!'));
    expect(result.tie).toBe(false);
    expect(result.winner?.members).toEqual([0, 1, 3]);
    expect(result.clusters.map((c) => c.members.length)).toEqual([3, 1]);
  });

  it('reports a tie for the most votes instead of picking one', () => {
    const result = vote(answers('yes', 'no', 'Yes.', 'No'));
    expect(result).toMatchObject({ tie: true, winner: undefined });
    expect(result.clusters.map((c) => c.members)).toEqual([
      [0, 2],
      [1, 3],
    ]);
  });

  it('counts only the decision fields of structured answers', () => {
    const schema = {
      type: 'object',
      properties: {
        verdict: { enum: ['approve', 'reject'] },
        urgent: { type: 'boolean' },
        rationale: { type: 'string' },
      },
      required: ['verdict', 'rationale'],
    };
    const fields = decisionFields(schema);
    expect(fields).toEqual(['urgent', 'verdict']);
    const structured: AgentAnswer[] = [
      { agentIndex: 0, text: '', value: { verdict: 'approve', urgent: false, rationale: 'fine' } },
      { agentIndex: 1, text: '', value: { verdict: 'approve', urgent: false, rationale: 'looks right' } },
      { agentIndex: 2, text: '', value: { verdict: 'reject', urgent: false, rationale: 'fine' } },
    ];
    expect(vote(structured, fields).winner?.members).toEqual([0, 1]);
  });

  it('falls back to required scalar fields when the schema has no decisive one', () => {
    expect(
      decisionFields({
        type: 'object',
        properties: { city: { type: 'string' }, note: { type: 'string' }, tags: { type: 'array' } },
        required: ['city', 'tags'],
      }),
    ).toEqual(['city']);
  });
});

describe('clusterByMeaning', () => {
  it('puts answers that entail each other together, with one representative per cluster', async () => {
    const { call } = cityJudge();
    const result = await clusterByMeaning({
      answers: answers('It is Paris', 'Paris, the capital', 'Lyon', 'paris of course', 'Lyon I think'),
      question: 'Which city?',
      judge,
      call,
    });
    expect(result.clusters.map((c) => c.members)).toEqual([
      [0, 1, 3],
      [2, 4],
    ]);
    expect(result.clusters[0]?.representative.text).toBe('It is Paris');
    expect(semanticEntropy(result.clusters.map((c) => c.members.length))).toBeCloseTo(0.673, 4);
  });

  it('compares each answer with one representative per cluster: at most N × k comparisons, 2 calls each', async () => {
    const { call, counter } = cityJudge();
    const texts = ['Paris', 'Lyon', 'Nice', 'Lille', 'Metz'];
    const result = await clusterByMeaning({ answers: answers(...texts), question: 'q', judge, call });
    // Five clusters: answer i is compared with the i clusters before it, 0 + 1 + 2 + 3 + 4 = 10 ≤ 5 × 5.
    expect(result.clusters).toHaveLength(5);
    expect(result.comparisons).toBe(10);
    expect(result.judgeCalls).toBe(20);
    expect(counter.calls).toBe(20);
    expect(result.comparisons).toBeLessThanOrEqual(texts.length * result.clusters.length);
  });

  it('makes no judge call when every answer is the same once normalised', async () => {
    const { call, counter } = cityJudge();
    const result = await clusterByMeaning({
      answers: answers('Paris', 'paris.', ' PARIS '),
      question: 'q',
      judge,
      call,
    });
    expect(result.clusters).toHaveLength(1);
    expect(result.comparisons).toBe(2);
    expect(counter.calls).toBe(0);
  });
});
