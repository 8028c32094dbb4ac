import type { Assertion } from '../skills/assertions.js';
import { evaluateAssertions } from '../skills/assertions.js';
import { validateAgainst } from '../skills/json-schema.js';
import { parseAnswer } from '../skills/prompt.js';
import type { JsonSchema } from '../skills/skill.js';

/** How one capsule's answer to a replayed input fared. */
export interface AnswerScore {
  valid: boolean;
  passed: number;
}

export type PairVerdict = 'win' | 'loss' | 'tie';

/**
 * Where a replay asks which of two answers is better, for the candidate capsule. Today's judge reads the
 * output schema and the input's eval assertions; the L4 judge plugs in here later (decisions/0031).
 */
export interface ReplayJudge {
  name: string;
  score(options: {
    schema: JsonSchema | null;
    assertions: readonly Assertion[];
    answer: string;
  }): AnswerScore;
  compare(candidate: AnswerScore, active: AnswerScore): PairVerdict;
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
