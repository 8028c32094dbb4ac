import { z } from 'zod';
import { hex64, id, usdMicros } from './schemas.js';

/** An org's own price (micro-dollars per million tokens); prompt-cache rates only where it set them. */
const orgPrice = z.strictObject({
  inputMicrosPerMTok: usdMicros,
  outputMicrosPerMTok: usdMicros,
  cacheReadMicrosPerMTok: usdMicros.optional(),
  cacheWrite5mMicrosPerMTok: usdMicros.optional(),
  cacheWrite1hMicrosPerMTok: usdMicros.optional(),
});
const entityCounts = z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/), z.number().int().nonnegative());
const callParty = {
  provider: z.string().min(1).max(60),
  model: z.string().min(1).max(200),
  agent: z.string().max(100).optional(),
  apiKeyId: id.optional(),
  userId: id.optional(),
};

/**
 * The governed call, one subject `call/<request id>` per call: each gate's outcome,
 * each provider attempt, and the audited result. Values DLP finds never appear: types and counts only.
 */
export const gatewayEvents = {
  'cp.gate.policy.decided': z.strictObject({
    ...callParty,
    decision: z.enum(['allow', 'block', 'hitl']),
    code: z.enum(['policy_blocked', 'dlp_blocked', 'hitl_required']).optional(),
    reason: z.string().max(500).optional(),
    policyVersion: z.number().int().nonnegative(),
    rulesMatched: z.array(z.string().max(200)),
    dlp: entityCounts,
    route: z.string().max(100),
  }),
  'cp.gate.budget.reserved': z.strictObject({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    reservationId: id,
    amountMicros: usdMicros,
    capMicros: usdMicros.nullable(),
    spentMicros: usdMicros,
    reservedMicros: usdMicros,
    /** The budget lease the call reserved from (in memory); absent: reserved in the ledger itself. */
    leaseId: id.optional(),
  }),
  'cp.gate.budget.refused': z.strictObject({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    amountMicros: usdMicros,
    capMicros: usdMicros,
    spentMicros: usdMicros,
    reservedMicros: usdMicros,
    /** Why, when it is not the worst case exceeding the cap (absent: `budget_exceeded`). */
    code: z.enum(['budget_exceeded', 'price_unknown', 'provider_anomaly']).optional(),
    /** `provider/model` of a refused unpriced model. */
    model: z.string().max(300).optional(),
  }),
  'cp.gate.budget.settled': z.strictObject({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    reservationId: id,
    reservedMicros: usdMicros,
    actualMicros: usdMicros,
    /** What the provider's reported usage would cost, when it went beyond the request's limits. */
    reportedMicros: usdMicros.optional(),
    /** `provider/model` of a call no price covered (it settled at 0). */
    unpricedModel: z.string().max(300).optional(),
    /** The budget lease the call reserved from; its actual cost is charged to the lease. */
    leaseId: id.optional(),
  }),
  'cp.gate.budget.expired': z.strictObject({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    reservationId: id,
    reservedMicros: usdMicros,
  }),
  'cp.llm.attempt.failed': z.strictObject({
    provider: z.string(),
    model: z.string(),
    attempt: z.number().int().positive(),
    status: z.number().int().optional(),
    error: z.string().max(500),
    retryInMs: z.number().int().nonnegative().nullable(),
  }),
  'cp.llm.call.completed': z.strictObject({
    ...callParty,
    demo: z.boolean(),
    stream: z.boolean(),
    route: z.string().max(100),
    /** Every input token, those read from or written to the prompt cache included. */
    inputTokens: z.number().int().nonnegative(),
    outputTokens: z.number().int().nonnegative(),
    /** Of `inputTokens`, those the vendor read from its prompt cache (absent: none reported). */
    cacheReadTokens: z.number().int().nonnegative().optional(),
    /** Of `inputTokens`, those written to the prompt cache, whatever their TTL. */
    cacheWriteTokens: z.number().int().nonnegative().optional(),
    /** Of `cacheWriteTokens`, those cached for an hour (billed above five-minute writes). */
    cacheWrite1hTokens: z.number().int().nonnegative().optional(),
    costMicros: usdMicros,
    priceVersion: z.string().max(100),
    latencyMs: z.number().int().nonnegative(),
    attempts: z.number().int().positive(),
    finishReason: z.string().max(50),
    toolCalls: z.number().int().nonnegative(),
    /** Choices answered when the call asked for more than one (`n`); absent for one. */
    choices: z.number().int().min(2).max(128).optional(),
    capsuleId: id.nullable(),
    /** Document chunks retrieved into the prompt (`commands/src/documents`), for grounding checks. */
    retrievedChunkIds: z.array(id).max(50).optional(),
    promptSha256: hex64,
    completionSha256: hex64,
    maskedPrompt: z.string().max(200_000).optional(),
    maskedCompletion: z.string().max(200_000).optional(),
    removedSchemaKeywords: z.array(z.string().max(100)).optional(),
  }),
  'cp.llm.call.failed': z.strictObject({
    ...callParty,
    route: z.string().max(100),
    code: z.string().max(60),
    message: z.string().max(500),
    attempts: z.number().int().nonnegative(),
    latencyMs: z.number().int().nonnegative(),
  }),
  'cp.cost.anomaly.detected': z.strictObject({
    costMicros: usdMicros,
    averageMicros: usdMicros,
    factor: z.number().positive(),
    model: z.string(),
  }),
  /**
   * The provider reported usage beyond the request's own limits (more input tokens than the prompt's
   * bound, more output tokens than max tokens). The call was charged its reservation; the org's calls are
   * refused until an admin acknowledges it.
   */
  'cp.cost.provider_anomaly.detected': z.strictObject({
    reservationId: id,
    model: z.string().max(300),
    reportedInputTokens: z.number().int().nonnegative(),
    reportedOutputTokens: z.number().int().nonnegative(),
    inputTokenBound: z.number().int().nonnegative(),
    maxTokens: z.number().int().nonnegative(),
    reportedMicros: usdMicros,
    chargedMicros: usdMicros,
  }),
  /** An admin acknowledged this many open provider anomalies; calls resume once none is left. */
  'cp.cost.provider_anomaly.acknowledged': z.strictObject({
    acknowledged: z.number().int().positive(),
    note: z.string().max(500).optional(),
  }),
  'cp.budget.cap.set': z.strictObject({ monthlyCapMicros: usdMicros.nullable() }),
  /** The org's own prices (integer micro-dollars per million tokens), replacing the previous set whole. */
  'cp.budget.prices.set': z.strictObject({
    models: z.record(z.string().min(3).max(300), orgPrice),
    defaultPrice: orgPrice.nullable(),
  }),
  /**
   * A server process holds a slice of the org's remaining monthly cap (subject `budget/lease/<id>`) and
   * reserves calls from it in memory; each call's reservation and settlement name the lease.
   */
  'cp.budget.lease.granted': z.strictObject({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    leaseId: id,
    amountMicros: usdMicros,
    capMicros: usdMicros.nullable(),
    spentMicros: usdMicros,
    reservedMicros: usdMicros,
    expiresAt: z.iso.datetime(),
  }),
  /** The holder gave the lease back once its calls settled: what they did not spend returns to the cap. */
  'cp.budget.lease.released': z.strictObject({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    leaseId: id,
    amountMicros: usdMicros,
    consumedMicros: usdMicros,
  }),
  /** The lease outlived its TTL (its holder died): what its settled calls did not spend returns to the cap. */
  'cp.budget.lease.expired': z.strictObject({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    leaseId: id,
    amountMicros: usdMicros,
  }),
  'cp.budget.alert.raised': z.strictObject({
    month: z.string().regex(/^\d{4}-\d{2}$/),
    threshold: z.union([z.literal(50), z.literal(80), z.literal(100)]),
    spentMicros: usdMicros,
    capMicros: usdMicros,
  }),
  'cp.policy.updated': z.strictObject({
    version: z.number().int().positive(),
    document: z.record(z.string(), z.unknown()),
  }),
  'cp.provider.key.set': z.strictObject({
    provider: z.string().min(1).max(60),
    fingerprint: z.string().length(8),
  }),
  'cp.provider.key.removed': z.strictObject({ provider: z.string().min(1).max(60) }),
} as const;
