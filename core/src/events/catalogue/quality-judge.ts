import { z } from 'zod';
import { hex64, id, usdMicros } from './schemas.js';
import { skillIdPattern } from './skills.js';

const skill = z.string().max(100).regex(skillIdPattern);
/** Judge-written text (a justification, an unsupported claim): DLP-masked and clipped before it is recorded. */
const judgeText = z.string().min(1).max(400);
const score = z.number().int().min(1).max(5);
const dimension = z.strictObject({ score, justification: judgeText });
const frameworkKey = z.enum(['NIST-AI-RMF', 'ISO42001', 'EU-AI-ACT', 'GDPR', 'SOC2']);

/** One judge's part of a verdict: its scores, or why it gave none (a verdict malformed after one repair). */
const judgeOutcome = z.strictObject({
  provider: z.string().min(1).max(60),
  model: z.string().min(1).max(200),
  /** The judge's own run (`run/<id>`, kind `quality-judge`), under which its governed calls were made. */
  runId: id,
  status: z.enum(['judged', 'failed']),
  /** Calls it took: 1, or 2 after a repair. */
  calls: z.number().int().min(0).max(2),
  rubric: z
    .strictObject({
      correctness: dimension,
      completeness: dimension,
      grounding: dimension,
      policyAdherence: dimension,
    })
    .nullable(),
  unsupportedClaims: z.array(judgeText).max(20),
  /** The weakest dimension's score; null when the judge failed. */
  score: score.nullable(),
  error: z.string().max(300).nullable(),
  costMicros: usdMicros,
});

export const TRIAGE_REASONS = ['l3_unknown_ids', 'l4_below_threshold', 'judge_disagreement'] as const;
const triageReason = z.enum(TRIAGE_REASONS);

/**
 * L4, the LLM judge, and the triage queue (docs/quality.md). A verdict is recorded on the judged skill
 * run's subject `run/<id>`; a triage item is the subject `quality-triage/<runId>`, one per run; the
 * sampling loop's monthly budget stop is `quality-sampling/<month>`.
 */
export const qualityJudgeEvents = {
  'cp.quality.l4.judged': z.strictObject({
    judgeId: id,
    skill,
    source: z.enum(['on_demand', 'sampled']),
    /** SHA-256 of the judged output's canonical JSON: the run's own `outputSha256`. */
    outputSha256: hex64,
    /** Document chunks the run's calls recorded as retrieved, given to the judge as evidence. */
    retrievedChunkIds: z.array(id).max(50),
    judges: z.array(judgeOutcome).min(1).max(2),
    /** The lower of the judges' scores; null when every judge failed. */
    score: score.nullable(),
    threshold: score,
    /** score ≥ threshold; null when no judge gave a verdict (the run's pass rate is then left alone). */
    passed: z.boolean().nullable(),
    /** With two verdicts: the largest difference on one dimension, and the margin it may reach. */
    disagreement: z.number().int().min(0).max(4).nullable(),
    margin: z.number().int().min(0).max(4),
    costMicros: usdMicros,
  }),
  /** A flagged output awaits a person: the output (DLP-masked, clipped) when it was held, and the evidence. */
  'cp.quality.triage.opened': z.strictObject({
    itemId: id,
    runId: id,
    skill,
    reasons: z.array(triageReason).min(1).max(3),
    output: z.string().max(4_000).nullable(),
    l3: z
      .strictObject({
        unknown: z
          .array(z.strictObject({ text: z.string().min(1).max(40), framework: frameworkKey }))
          .max(100),
        misattributed: z
          .array(
            z.strictObject({ text: z.string().min(1).max(40), named: frameworkKey, actual: frameworkKey }),
          )
          .max(100),
      })
      .nullable(),
    /** The verdict that flagged it, by its `judgeId` on the run's subject. */
    judgeId: id.nullable(),
    score: score.nullable(),
    disagreement: z.number().int().min(0).max(4).nullable(),
    unsupportedClaims: z.array(judgeText).max(20),
  }),
  'cp.quality.triage.assigned': z.strictObject({
    itemId: id,
    /** A member of the org (user id). */
    assignee: id,
  }),
  'cp.quality.triage.resolved': z.strictObject({
    itemId: id,
    resolution: z.enum(['true_positive', 'false_positive', 'fixed']),
    note: z.string().min(1).max(2_000),
  }),
  /** The sampling loop reached the org's quality budget for the month and stopped judging until the next. */
  'cp.quality.sampling.capped': z.strictObject({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    spentMicros: usdMicros,
    budgetMicros: usdMicros,
  }),
} as const;
