import { z } from 'zod';
import { hex64, id, usdMicros } from './schemas.js';

/** Bounds a suite's definition and a run's records are held to (docs/cross-vendor-evals.md). */
export const CROSS_VENDOR_LIMITS = {
  cases: 200,
  providers: 6,
  decisionFields: 20,
  pathChars: 200,
  messages: 50,
  messageChars: 20_000,
  /** A case's skill input or output schema, as JSON. */
  jsonChars: 32_768,
  /** The DLP-masked answer kept on its event. */
  answerChars: 4_000,
  /** One decision field's value, as JSON, on an answer or a diff. */
  valueChars: 1_000,
} as const;

export const CROSS_VENDOR_SEVERITIES = ['critical', 'warning', 'info'] as const;

/**
 * Why a pair got its severity: a decision field differs, an answer failed its schema, a provider
 * failed, the judge found the meanings different (or could not tell), found them equivalent, the
 * answers are identical, or the texts differ with no judge configured.
 */
export const CROSS_VENDOR_REASONS = [
  'decision_field',
  'schema',
  'provider_failed',
  'judge_different',
  'judge_failed',
  'judge_equivalent',
  'identical',
  'text_unjudged',
] as const;

const boundedJson = (max: number) =>
  z.unknown().refine(
    (value) => {
      const text = JSON.stringify(value);
      return text !== undefined && text.length <= max;
    },
    { message: `a JSON value of at most ${max} characters` },
  );

const modelRef = z.strictObject({ provider: z.string().min(1).max(60), model: z.string().min(1).max(200) });
const path = z.string().min(1).max(CROSS_VENDOR_LIMITS.pathChars);
const message = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(CROSS_VENDOR_LIMITS.messageChars),
});

/** A case asks every provider the same messages, or runs the same skill on each of them. */
const suiteCase = z.strictObject({
  input: z.union([
    z.array(message).min(1).max(CROSS_VENDOR_LIMITS.messages),
    z.strictObject({ skill: z.string().min(1).max(100), input: boundedJson(CROSS_VENDOR_LIMITS.jsonChars) }),
  ]),
  decisionFields: z.array(path).max(CROSS_VENDOR_LIMITS.decisionFields).optional(),
  outputSchema: boundedJson(CROSS_VENDOR_LIMITS.jsonChars).optional(),
});

/** A value at a decision field, as DLP-masked JSON text; null where the answer has nothing there. */
const fieldValue = z
  .string()
  .max(CROSS_VENDOR_LIMITS.valueChars + 1)
  .nullable();
const runRef = { suiteRunId: id, caseIndex: z.number().int().min(0).max(CROSS_VENDOR_LIMITS.cases) };

/**
 * Cross-vendor evaluation (`commands/src/cross-vendor-evals`): a suite on `cross-vendor-suite/<id>`, and
 * each run of it as a run tree of kind `cross-vendor` (suite → case → provider → judge). The suite run's
 * start and verdict sit on its own `run/<id>`, each provider's answer on its provider run, each pair's
 * comparison on its case run. Answers are kept DLP-masked and clipped, with the SHA-256 of the whole.
 */
export const crossVendorEvents = {
  'cp.cross_vendor.suite.created': z.strictObject({
    suiteId: id,
    name: z.string().min(1).max(200),
    cases: z.array(suiteCase).min(1).max(CROSS_VENDOR_LIMITS.cases),
    providers: z.array(modelRef).min(2).max(CROSS_VENDOR_LIMITS.providers),
    judge: modelRef.nullable(),
    /** A cron expression (UTC) that starts runs; null: runs start only by hand. */
    schedule: z.string().min(1).max(100).nullable(),
  }),
  'cp.cross_vendor.run.started': z.strictObject({
    suiteId: id,
    name: z.string().min(1).max(200),
    trigger: z.strictObject({ kind: z.enum(['manual', 'schedule']), ref: z.string().max(200).optional() }),
    cases: z.number().int().min(1).max(CROSS_VENDOR_LIMITS.cases),
    providers: z.array(modelRef).min(2).max(CROSS_VENDOR_LIMITS.providers),
    judge: modelRef.nullable(),
  }),
  /** One provider's answer to one case, on the provider's run: what it said, and whether it held. */
  'cp.cross_vendor.answer.recorded': z.strictObject({
    ...runRef,
    providerIndex: z.number().int().min(0).max(CROSS_VENDOR_LIMITS.providers),
    status: z.enum(['answered', 'failed']),
    /** The provider's or a gate's refusal, code first; null once answered. */
    error: z.string().max(500).nullable(),
    /** Whether the answer meets the case's schema (and the skill's); false for a failed call. */
    valid: z.boolean(),
    problems: z.array(z.string().max(300)).max(20),
    answerSha256: hex64.nullable(),
    answer: z
      .string()
      .max(CROSS_VENDOR_LIMITS.answerChars + 1)
      .nullable(),
    fields: z.record(z.string().max(CROSS_VENDOR_LIMITS.pathChars), fieldValue),
    costMicros: usdMicros,
    latencyMs: z.number().int().nonnegative(),
    /** The skill run the answer came from, nested under the provider's run (skill cases). */
    skillRunId: id.nullable(),
  }),
  /** Two providers' answers to one case compared, on the case's run; the judge only on non-critical pairs. */
  'cp.cross_vendor.pair.compared': z.strictObject({
    ...runRef,
    a: z.number().int().min(0).max(CROSS_VENDOR_LIMITS.providers),
    b: z.number().int().min(0).max(CROSS_VENDOR_LIMITS.providers),
    severity: z.enum(CROSS_VENDOR_SEVERITIES),
    reason: z.enum(CROSS_VENDOR_REASONS),
    diffs: z
      .array(z.strictObject({ path, a: fieldValue, b: fieldValue }))
      .max(CROSS_VENDOR_LIMITS.decisionFields),
    judge: z
      .strictObject({
        runId: id,
        verdict: z.enum(['equivalent', 'different', 'failed']),
        costMicros: usdMicros,
        error: z.string().max(500).optional(),
      })
      .nullable(),
  }),
  'cp.cross_vendor.run.completed': z.strictObject({
    critical: z.number().int().nonnegative(),
    warning: z.number().int().nonnegative(),
    info: z.number().int().nonnegative(),
    costMicros: usdMicros,
  }),
} as const;
