import { z } from 'zod';
import { hex64, id, usdMicros } from './schemas.js';

/** A reviewer reads these; the texts in multi-agent events are DLP-masked and cut to this many characters. */
export const MULTI_AGENT_TEXT_CHARS = 4_000;

const text = z.string().max(MULTI_AGENT_TEXT_CHARS);
const model = z.strictObject({
  provider: z.string().min(1).max(60),
  model: z.string().min(1).max(200),
  temperature: z.number().min(0).max(2).optional(),
});
const agentIndex = z.number().int().min(0).max(31);
const cluster = z.strictObject({
  size: z.number().int().positive(),
  members: z.array(agentIndex).min(1).max(32),
  representative: text,
});
export const reviewSeverities = ['info', 'minor', 'major', 'critical'] as const;

/**
 * Multi-agent primitives (`commands/src/multi-agent`, docs/multi-agent.md), on the run's own subject
 * `run/<id>` (kind `multi-agent`). Prompts and tasks appear by SHA-256; answers a reviewer or a later
 * reader needs (cluster representatives, the chosen answer, drafts) appear DLP-masked and cut short.
 */
export const multiAgentEvents = {
  'cp.multiagent.consensus.requested': z.strictObject({
    method: z.enum(['vote', 'entropy']),
    agents: z.array(model).min(1).max(32),
    /** Agents that must answer for a decision: floor(n/2) + 1. */
    quorum: z.number().int().positive(),
    /** Semantic entropy above this escalates to a person (entropy only). */
    threshold: z.number().min(0).optional(),
    judge: model.optional(),
    promptSha256: hex64,
    outputSchemaSha256: hex64.optional(),
  }),
  'cp.multiagent.agent.answered': z.strictObject({
    agentIndex,
    requestId: id,
    answerSha256: hex64,
    costMicros: usdMicros,
  }),
  'cp.multiagent.agent.failed': z.strictObject({
    agentIndex,
    code: z.string().min(1).max(100),
    message: z.string().max(500),
  }),
  'cp.multiagent.consensus.decided': z.strictObject({
    method: z.enum(['vote', 'entropy']),
    /** The agreed answer, masked; null on a tie or while a person decides. */
    answer: text.nullable(),
    tie: z.boolean(),
    clusters: z.array(cluster).max(32),
    /** Discrete semantic entropy over the clusters, in nats. */
    entropy: z.number().min(0),
    /** Equivalence comparisons (each two judge calls unless the texts were equal). */
    comparisons: z.number().int().nonnegative(),
    judgeCalls: z.number().int().nonnegative(),
    escalated: z.boolean(),
    hitlRequestId: id.optional(),
  }),
  /** A person chose one cluster's answer on the consensus page, before the request was approved. */
  'cp.multiagent.consensus.picked': z.strictObject({ hitlRequestId: id, cluster: z.number().int().min(0) }),
  /** The escalation's outcome: the answer the approval settled on, or none when it was denied or expired. */
  'cp.multiagent.consensus.resolved': z.strictObject({
    hitlRequestId: id,
    decision: z.enum(['approved', 'denied', 'expired']),
    cluster: z.number().int().min(0).nullable(),
    answer: text.nullable(),
  }),
  /** The org's consensus settings (subject `settings/multi-agent`); a request may still name its own threshold. */
  'cp.multiagent.settings.updated': z.strictObject({
    entropyThreshold: z.number().min(0).max(10),
    /** The model agents, judges and review roles use when a request names none; null: the deployment's. */
    defaultModel: z
      .strictObject({ provider: z.string().min(1).max(60), model: z.string().min(1).max(200) })
      .nullable()
      .optional(),
  }),
  'cp.multiagent.review.requested': z.strictObject({
    rounds: z.number().int().min(1).max(10),
    drafter: model,
    critic: model,
    reviser: model,
    taskSha256: hex64,
    rubricSha256: hex64.optional(),
  }),
  /** One role's output in a round; `runId` is the role's sub-run, whose calls carry the cost. */
  'cp.multiagent.review.drafted': z.strictObject({
    round: z.number().int().positive(),
    runId: id,
    requestId: id,
    text,
    costMicros: usdMicros,
  }),
  'cp.multiagent.review.critiqued': z.strictObject({
    round: z.number().int().positive(),
    runId: id,
    requestId: id,
    issues: z
      .array(z.strictObject({ severity: z.enum(reviewSeverities), text: z.string().max(1_000) }))
      .max(50),
    costMicros: usdMicros,
  }),
  'cp.multiagent.review.revised': z.strictObject({
    round: z.number().int().positive(),
    runId: id,
    requestId: id,
    text,
    costMicros: usdMicros,
  }),
  'cp.multiagent.review.finished': z.strictObject({
    rounds: z.number().int().nonnegative(),
    /** The critic found nothing at or above `major` before the rounds ran out. */
    stoppedEarly: z.boolean(),
    finalSha256: hex64,
  }),
} as const;
