import { z } from 'zod';

/** How a triage item ends (docs/quality.md): the flag was right, was wrong, or the cause was fixed. */
export const TRIAGE_RESOLUTIONS = ['true_positive', 'false_positive', 'fixed'] as const;
export const TRIAGE_STATUSES = ['open', 'assigned', 'resolved'] as const;
export const TRIAGE_REASONS = ['l3_unknown_ids', 'l4_below_threshold', 'judge_disagreement'] as const;
/** The largest output or input, as JSON, the judge route takes. */
export const JUDGE_MAX_JSON_CHARS = 100_000;

const id = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'an id');
const skillId = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9]*\.[a-z][a-z0-9_]*$/, 'a skill id, `category.name`');
const bounded = (what: string) =>
  z
    .unknown()
    .refine(
      (v) => v === undefined || JSON.stringify(v ?? null).length <= JUDGE_MAX_JSON_CHARS,
      `the ${what} is longer than ${JUDGE_MAX_JSON_CHARS} characters as JSON`,
    );

/**
 * `POST /api/quality/judge`: an L4 verdict now. `runId` alone judges a skill run whose output is held for
 * sampling; with `output` (and the run's `input`) it judges those, checked against the run's hashes. Without
 * `runId` it is a dry verdict on `output`: nothing is recorded but the judge's governed calls.
 */
export const judgeBody = z
  .strictObject({
    runId: id.optional(),
    output: bounded('output').optional(),
    input: bounded('input').optional(),
    /** What the output was asked to do, for a dry verdict; a run's is its skill's title. */
    task: z.string().trim().min(1).max(500).optional(),
  })
  .refine((b) => b.runId !== undefined || b.output !== undefined, {
    message: 'give the `runId` of a skill run, or the `output` to judge',
    path: ['output'],
  });
export type JudgeBody = z.input<typeof judgeBody>;

const dimension = z.strictObject({ score: z.number().int(), justification: z.string() });
export const judgeOutcome = z.strictObject({
  provider: z.string(),
  model: z.string(),
  runId: z.string(),
  status: z.enum(['judged', 'failed']),
  calls: z.number().int(),
  rubric: z
    .strictObject({
      correctness: dimension,
      completeness: dimension,
      grounding: dimension,
      policyAdherence: dimension,
    })
    .nullable(),
  unsupportedClaims: z.array(z.string()),
  score: z.number().int().nullable(),
  error: z.string().nullable(),
  costMicros: z.number().int(),
});

export const judgeResult = z.strictObject({
  verdict: z.strictObject({
    judges: z.array(judgeOutcome),
    score: z.number().int().nullable(),
    threshold: z.number().int(),
    passed: z.boolean().nullable(),
    disagreement: z.number().int().nullable(),
    margin: z.number().int(),
    costMicros: z.number().int(),
  }),
  /** Whether `cp.quality.l4.judged` was appended on the run (false for a dry verdict). */
  recorded: z.boolean(),
  judgeId: z.string().nullable(),
  triageItemId: z.string().nullable(),
});
export type JudgeResult = z.infer<typeof judgeResult>;

export const triageParams = z.strictObject({ id });

export const triageQuery = z.strictObject({
  status: z.enum(TRIAGE_STATUSES).optional(),
  skill: skillId.optional(),
  /** The `next` of the previous page. */
  after: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type TriageQuery = z.input<typeof triageQuery>;

const frameworkKey = z.string();
export const triageItem = z.strictObject({
  id: z.string(),
  runId: z.string(),
  skill: z.string(),
  status: z.enum(TRIAGE_STATUSES),
  reasons: z.array(z.string()),
  /** The output, DLP-masked and cut to 4,000 characters, when it was held; null otherwise. */
  output: z.string().nullable(),
  l3: z
    .strictObject({
      unknown: z.array(z.strictObject({ text: z.string(), framework: frameworkKey })),
      misattributed: z.array(z.strictObject({ text: z.string(), named: frameworkKey, actual: frameworkKey })),
    })
    .nullable(),
  judgeId: z.string().nullable(),
  score: z.number().int().nullable(),
  disagreement: z.number().int().nullable(),
  unsupportedClaims: z.array(z.string()),
  openedAt: z.string(),
  assignee: z.string().nullable(),
  resolution: z.string().nullable(),
  note: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
});
export type TriageItem = z.infer<typeof triageItem>;

export const triageList = z.strictObject({ items: z.array(triageItem), next: z.string().nullable() });
export type TriageList = z.infer<typeof triageList>;

/** `POST /api/quality/triage/:id/assign`: a member of the org (user id) takes the item. */
export const assignTriageBody = z.strictObject({ assignee: id });
export type AssignTriageBody = z.infer<typeof assignTriageBody>;

export const resolveTriageBody = z.strictObject({
  resolution: z.enum(TRIAGE_RESOLUTIONS),
  note: z
    .string()
    .trim()
    .min(1, 'say what was found')
    .max(2_000)
    .refine((s) => !s.includes('\u0000'), 'remove the NUL characters'),
});
export type ResolveTriageBody = z.infer<typeof resolveTriageBody>;
