import { z } from 'zod';
import { runNode } from './runs.js';

/** Bounds of a cross-vendor suite; the event catalogue holds the same ones. */
export const CROSS_VENDOR_SUITE_LIMITS = {
  nameChars: 200,
  cases: 200,
  providers: 6,
  decisionFields: 20,
  pathChars: 200,
  messages: 50,
  messageChars: 20_000,
  jsonChars: 32_768,
} as const;
const L = CROSS_VENDOR_SUITE_LIMITS;

export const CROSS_VENDOR_SEVERITY_LEVELS = ['critical', 'warning', 'info'] as const;
export type CrossVendorSeverity = (typeof CROSS_VENDOR_SEVERITY_LEVELS)[number];

const boundedJson = z.unknown().superRefine((value, ctx) => {
  const text = JSON.stringify(value);
  if (text === undefined) ctx.addIssue({ code: 'custom', message: 'must be a JSON value' });
  else if (text.length > L.jsonChars)
    ctx.addIssue({ code: 'custom', message: `must be at most ${L.jsonChars} characters as JSON` });
});

export const crossVendorModelRef = z.strictObject({
  provider: z.string().min(1).max(60),
  model: z.string().min(1).max(200),
});

const message = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(L.messageChars),
});

export const crossVendorCase = z.strictObject({
  /** The messages every provider is asked, or a governed skill run on each provider. */
  input: z.union([
    z.array(message).min(1).max(L.messages),
    z.strictObject({ skill: z.string().min(1).max(100), input: boundedJson }),
  ]),
  /** Paths into a structured answer (`$.decision`, `$.items[0].id`) that must agree across providers. */
  decisionFields: z.array(z.string().min(1).max(L.pathChars)).max(L.decisionFields).optional(),
  /** A JSON Schema every answer must meet (checked with ajv). */
  outputSchema: z
    .record(z.string(), z.unknown())
    .superRefine((value, ctx) => {
      if (JSON.stringify(value).length > L.jsonChars)
        ctx.addIssue({ code: 'custom', message: `must be at most ${L.jsonChars} characters as JSON` });
    })
    .optional(),
});
export type CrossVendorCaseInput = z.input<typeof crossVendorCase>;

/** `POST /api/evals/cross-vendor/suites`. */
export const createCrossVendorSuiteBody = z.strictObject({
  name: z.string().trim().min(1).max(L.nameChars),
  cases: z.array(crossVendorCase).min(1).max(L.cases),
  providers: z.array(crossVendorModelRef).min(2).max(L.providers),
  /** The model that judges semantic equivalence on pairs no decision field or schema made critical. */
  judge: crossVendorModelRef.optional(),
  /** A cron expression (UTC) that starts runs; none by default. */
  schedule: z.string().trim().min(1).max(100).optional(),
});
export type CreateCrossVendorSuiteBody = z.input<typeof createCrossVendorSuiteBody>;

export const crossVendorParams = z.strictObject({ id: z.string().min(1).max(200) });

export const crossVendorPageQuery = z.strictObject({
  /** The `next` of the previous page. */
  after: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const crossVendorRunListQuery = crossVendorPageQuery.extend({
  suite: z.string().min(1).max(200).optional(),
});

export const crossVendorSuiteSummary = z.object({
  id: z.string(),
  name: z.string(),
  cases: z.number().int(),
  providers: z.array(crossVendorModelRef),
  judge: crossVendorModelRef.nullable(),
  schedule: z.string().nullable(),
  createdAt: z.string(),
});
export type CrossVendorSuiteSummary = z.infer<typeof crossVendorSuiteSummary>;

export const crossVendorSuiteList = z.object({
  suites: z.array(crossVendorSuiteSummary),
  next: z.string().nullable(),
});
export type CrossVendorSuiteList = z.infer<typeof crossVendorSuiteList>;

export const crossVendorSuiteDetail = crossVendorSuiteSummary.extend({
  cases: z.array(crossVendorCase.extend({ outputSchema: z.unknown().optional() })),
  caseCount: z.number().int(),
});
export type CrossVendorSuiteDetail = z.infer<typeof crossVendorSuiteDetail>;

export const crossVendorRunStarted = z.object({ runId: z.string() });
export type CrossVendorRunStarted = z.infer<typeof crossVendorRunStarted>;

export const crossVendorRunSummary = z.object({
  id: z.string(),
  suiteId: z.string(),
  name: z.string(),
  trigger: z.string(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
  error: z.string().nullable(),
  providers: z.array(crossVendorModelRef),
  judge: crossVendorModelRef.nullable(),
  cases: z.number().int(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type CrossVendorRunSummary = z.infer<typeof crossVendorRunSummary>;

export const crossVendorRunList = z.object({
  runs: z.array(crossVendorRunSummary),
  next: z.string().nullable(),
});
export type CrossVendorRunList = z.infer<typeof crossVendorRunList>;

const fieldValue = z.string().nullable();

export const crossVendorAnswerCell = z.object({
  provider: z.number().int(),
  status: z.enum(['answered', 'failed']),
  error: z.string().nullable(),
  valid: z.boolean(),
  problems: z.array(z.string()),
  /** DLP-masked and clipped. */
  answer: z.string().nullable(),
  fields: z.record(z.string(), fieldValue),
  costMicros: z.number(),
  latencyMs: z.number(),
  skillRunId: z.string().nullable(),
});
export type CrossVendorAnswerCell = z.infer<typeof crossVendorAnswerCell>;

export const crossVendorPairCell = z.object({
  a: z.number().int(),
  b: z.number().int(),
  severity: z.enum(CROSS_VENDOR_SEVERITY_LEVELS),
  reason: z.string(),
  diffs: z.array(z.object({ path: z.string(), a: fieldValue, b: fieldValue })),
  judge: z
    .object({ runId: z.string(), verdict: z.string(), costMicros: z.number(), error: z.string().optional() })
    .nullable(),
});
export type CrossVendorPairCell = z.infer<typeof crossVendorPairCell>;

/** `GET /api/evals/cross-vendor/runs/:id`: the matrix (case × provider pair) and the run tree. */
export const crossVendorRunDetail = z.object({
  run: crossVendorRunSummary,
  counts: z.object({ critical: z.number().int(), warning: z.number().int(), info: z.number().int() }),
  costMicros: z.number(),
  cases: z.array(
    z.object({
      index: z.number().int(),
      answers: z.array(crossVendorAnswerCell),
      pairs: z.array(crossVendorPairCell),
    }),
  ),
  /** Null until the runs read model has seen the run start. */
  tree: runNode.nullable(),
});
export type CrossVendorRunDetail = z.infer<typeof crossVendorRunDetail>;
