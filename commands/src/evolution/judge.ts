import type { Assertion } from '../skills/assertions.js';
import { evaluateAssertions } from '../skills/assertions.js';
import { validateAgainst } from '../skills/json-schema.js';
import { parseAnswer } from '../skills/prompt.js';
import type { JsonSchema } from '../skills/skill.js';

/** How one capsule's answer to a replayed input fared; `l4` when an L4 judge scored it (null: it failed). */
export interface AnswerScore {
  valid: boolean;
  passed: number;
  l4?: number | null;
}

export type PairVerdict = 'win' | 'loss' | 'tie';

export interface ScoreRequest {
  schema: JsonSchema | null;
  assertions: readonly Assertion[];
  answer: string;
  /** The replayed input and the skill's task, for a judge that reads them (L4). */
  input: unknown;
  task: string;
}

/**
 * Where a replay asks which of two answers is better, for the candidate capsule: schema validity and the
 * input's eval assertions, or the org's L4 judge (decisions/0031). `costMicros` is what judging cost so far.
 */
export interface ReplayJudge {
  name: string;
  score(options: ScoreRequest): AnswerScore | Promise<AnswerScore>;
  compare(candidate: AnswerScore, active: AnswerScore): PairVerdict;
  costMicros?(): number;
}

/** Schema validity first, then the number of eval assertions the answer passes. */
export const schemaAndEvalCasesJudge: ReplayJudge = {
  name: 'schema+eval-cases',
  score({ schema, assertions, answer }) {
    const parsed = parseAnswer(answer);
    if (!parsed.ok) return { valid: false, passed: 0 };
    const valid = schema === null || validateAgainst(schema, parsed.value).length === 0;
    const report = evaluateAssertions({ output: parsed.value, assertions });
    return { valid, passed: report.results.filter((r) => r.passed).length };
  },
  compare(candidate, active) {
    const rank = (s: AnswerScore) => (s.valid ? 1_000_000 : 0) + s.passed;
    const diff = rank(candidate) - rank(active);
    return diff > 0 ? 'win' : diff < 0 ? 'loss' : 'tie';
  },
};
