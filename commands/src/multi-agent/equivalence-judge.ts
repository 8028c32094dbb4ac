import { parseAnswer } from '../skills/prompt.js';
import type { GovernedCall, ModelRef } from './model-call.js';
import { normaliseAnswer } from './normalise.js';

const MAX_TEXT = 8_000;

const ENTAILMENT_SCHEMA = {
  type: 'object',
  properties: { entails: { type: 'boolean' } },
  required: ['entails'],
  additionalProperties: false,
} as const;

const SYSTEM = [
  'You judge textual entailment between two answers to the same question.',
  'The premise entails the hypothesis when anyone who accepts the premise, read in the context of the',
  'question, must also accept the hypothesis. Wording, length and style do not matter; meaning does.',
  'Reply with one JSON object {"entails": true} or {"entails": false} and nothing else.',
].join(' ');

export interface EquivalenceInput {
  /** The two answers to compare. */
  a: string;
  b: string;
  /** The question or task both answer: entailment is judged in its context. */
  question: string;
  /** The model that judges. */
  judge: ModelRef;
  /** How the judge is called: a governed call (policy, DLP, budget, audit). */
  call: GovernedCall;
  /** The run the judge's calls belong to. */
  runId?: string;
  signal?: AbortSignal;
}

export interface Equivalence {
  /** Same meaning: each answer entails the other. */
  equivalent: boolean;
  aEntailsB: boolean;
  bEntailsA: boolean;
  /** Judge calls made: 0 when the answers are equal once normalised, else 2. */
  judgeCalls: number;
  costMicros: number;
}

async function entails(input: EquivalenceInput, premise: string, hypothesis: string) {
  const answered = await input.call({
    ...input.judge,
    system: SYSTEM,
    temperature: 0,
    messages: [
      {
        role: 'user',
        content: [
          `Question: ${input.question.slice(0, MAX_TEXT)}`,
          `Premise: ${premise.slice(0, MAX_TEXT)}`,
          `Hypothesis: ${hypothesis.slice(0, MAX_TEXT)}`,
          'Does the premise entail the hypothesis?',
        ].join('\n\n'),
      },
    ],
    responseFormat: { type: 'json-schema', schema: ENTAILMENT_SCHEMA, name: 'entailment' },
    ...(input.runId ? { runId: input.runId } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const parsed = parseAnswer(answered.text);
  // An unreadable verdict keeps the answers apart: more clusters, higher entropy, a person decides sooner.
  const verdict =
    parsed.ok && typeof parsed.value === 'object' && parsed.value !== null
      ? (parsed.value as { entails?: unknown }).entails === true
      : false;
  return { verdict, costMicros: answered.costMicros };
}

/**
 * Semantic equivalence by bidirectional entailment: two answers mean the same iff the judge finds that
 * A entails B and that B entails A (both asked at once). Answers equal after `normaliseAnswer` are the
 * same without asking. Used by consensus clustering and by cross-vendor evaluation's judge step.
 */
export async function judgeEquivalence(input: EquivalenceInput): Promise<Equivalence> {
  if (normaliseAnswer(input.a) === normaliseAnswer(input.b))
    return { equivalent: true, aEntailsB: true, bEntailsA: true, judgeCalls: 0, costMicros: 0 };
  const [ab, ba] = await Promise.all([entails(input, input.a, input.b), entails(input, input.b, input.a)]);
  return {
    equivalent: ab.verdict && ba.verdict,
    aEntailsB: ab.verdict,
    bEntailsA: ba.verdict,
    judgeCalls: 2,
    costMicros: ab.costMicros + ba.costMicros,
  };
}
