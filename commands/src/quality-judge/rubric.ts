import { z } from 'zod';

/** The rubric's four dimensions, in the order the judge is asked and the console shows them. */
export const RUBRIC_DIMENSIONS = ['correctness', 'completeness', 'grounding', 'policyAdherence'] as const;
export type RubricDimension = (typeof RUBRIC_DIMENSIONS)[number];

const JUSTIFICATION_CHARS = 400;
const CLAIMS = 20;

const dimension = z.strictObject({
  score: z.number().int().min(1).max(5),
  justification: z.string().trim().min(1).max(JUSTIFICATION_CHARS),
});

/**
 * What a judge must answer: each dimension scored 1–5 with a short justification, and the claims of the
 * output that neither the inputs nor the retrieved chunks support. Validated with zod; anything else is
 * malformed and gets one repair turn.
 */
export const judgeVerdictSchema = z.strictObject({
  correctness: dimension,
  completeness: dimension,
  grounding: dimension,
  policyAdherence: dimension,
  unsupportedClaims: z.array(z.string().trim().min(1).max(JUSTIFICATION_CHARS)).max(CLAIMS),
});
export type JudgeVerdict = z.infer<typeof judgeVerdictSchema>;

const jsonDimension = {
  type: 'object',
  properties: {
    score: { type: 'integer', minimum: 1, maximum: 5 },
    justification: { type: 'string', minLength: 1, maxLength: JUSTIFICATION_CHARS },
  },
  required: ['score', 'justification'],
  additionalProperties: false,
} as const;

/** The same contract as a JSON Schema, sent as the call's response format where the vendor carries one. */
export const JUDGE_JSON_SCHEMA = {
  type: 'object',
  properties: {
    correctness: jsonDimension,
    completeness: jsonDimension,
    grounding: jsonDimension,
    policyAdherence: jsonDimension,
    unsupportedClaims: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: JUSTIFICATION_CHARS },
      maxItems: CLAIMS,
    },
  },
  required: [...RUBRIC_DIMENSIONS, 'unsupportedClaims'],
  additionalProperties: false,
} as const;

export const JUDGE_SYSTEM = [
  'You are a strict reviewer of an AI system’s output. Score it on four dimensions, each an integer',
  'from 1 (unacceptable) to 5 (excellent), with a justification of one or two sentences:',
  'correctness (is what it says true and consistent with the inputs),',
  'completeness (does it do everything the task asks),',
  'grounding (is every claim supported by the task input or by the retrieved excerpts given; a claim',
  'supported by neither lowers this score and is listed in unsupportedClaims, quoted briefly),',
  'policyAdherence (does it stay within the task, avoid disclosing personal data or secrets and make no',
  'commitments the task did not ask for).',
  'Reply with one JSON object matching the schema and nothing else.',
].join(' ');

/** The longest piece of input, output or excerpts the judge is shown; longer ones are cut. */
export const JUDGE_TEXT_CHARS = 20_000;

const cut = (text: string) =>
  text.length > JUDGE_TEXT_CHARS ? `${text.slice(0, JUDGE_TEXT_CHARS)}\n[cut]` : text;

/** The one user message of a judge call: task, input, excerpts and the output under review. */
export function judgeMessage(options: {
  task: string;
  input: unknown;
  output: unknown;
  chunks: readonly { id: string; text: string }[];
}): string {
  const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v, null, 2));
  const excerpts = options.chunks.length
    ? options.chunks.map((c) => `[${c.id}] ${c.text}`).join('\n\n')
    : '(none were retrieved)';
  return [
    `Task: ${options.task}`,
    'Task input:',
    cut(asText(options.input ?? null)),
    'Retrieved excerpts:',
    cut(excerpts),
    'Output under review:',
    cut(asText(options.output)),
  ].join('\n\n');
}

/** A judge's score: its weakest dimension, so a grounded but wrong answer cannot average its way through. */
export const scoreOf = (verdict: JudgeVerdict): number =>
  Math.min(...RUBRIC_DIMENSIONS.map((d) => verdict[d].score));

/** The largest difference on one dimension between two verdicts. */
export const disagreementOf = (a: JudgeVerdict, b: JudgeVerdict): number =>
  Math.max(...RUBRIC_DIMENSIONS.map((d) => Math.abs(a[d].score - b[d].score)));
