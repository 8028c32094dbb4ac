import { z } from 'zod';

const MAX_TEXT = 100_000;
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\0'), 'must not contain NUL');

/** A provider and model; `temperature` for an agent that should vary. */
export const multiAgentModel = z.strictObject({
  provider: text(60),
  model: text(200),
  temperature: z.number().min(0).max(2).optional(),
});
export type MultiAgentModel = z.infer<typeof multiAgentModel>;

export const consensusMessage = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: text(MAX_TEXT),
});

/**
 * `POST /api/multi-agent/consensus`: `messages` or `prompt` (one user message), `n` agents (the org's
 * default model n times unless `agents` names them, then n is their number). `threshold` overrides the
 * org's entropy threshold; `outputSchema` makes every answer structured.
 */
export const consensusBody = z
  .strictObject({
    messages: z.array(consensusMessage).min(1).max(50).optional(),
    prompt: text(MAX_TEXT).optional(),
    n: z.number().int().min(1).max(16).optional(),
    method: z.enum(['vote', 'entropy']),
    agents: z.array(multiAgentModel).min(1).max(16).optional(),
    judge: multiAgentModel.omit({ temperature: true }).optional(),
    threshold: z.number().min(0).max(10).optional(),
    outputSchema: z
      .record(z.string(), z.unknown())
      .refine((schema) => JSON.stringify(schema).length <= 16_384, 'a schema of at most 16,384 characters')
      .optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.messages === undefined) === (body.prompt === undefined))
      ctx.addIssue({ code: 'custom', path: ['prompt'], message: 'send either messages or prompt, not both' });
    if (body.messages && !body.messages.some((m) => m.role === 'user'))
      ctx.addIssue({ code: 'custom', path: ['messages'], message: 'needs at least one user message' });
  });
export type ConsensusBody = z.input<typeof consensusBody>;

export const consensusCluster = z.object({
  size: z.number(),
  members: z.array(z.number()),
  representative: z.string(),
});
export type ConsensusCluster = z.infer<typeof consensusCluster>;

export const consensusResult = z.object({
  runId: z.string(),
  /** Null on a tie or while a person decides. */
  answer: z.string().nullable(),
  method: z.enum(['vote', 'entropy']),
  clusters: z.array(consensusCluster),
  /** Discrete semantic entropy over the clusters, in nats. */
  entropy: z.number(),
  tie: z.boolean(),
  escalated: z.boolean(),
  hitlRequestId: z.string().optional(),
  failures: z.array(z.object({ agentIndex: z.number(), code: z.string(), message: z.string() })),
  judgeCalls: z.number(),
  costMicros: z.number(),
});
export type ConsensusResult = z.infer<typeof consensusResult>;

export const reviewSeverity = z.enum(['info', 'minor', 'major', 'critical']);

/** `POST /api/multi-agent/adversarial-review`; a role left out uses the org's default model. */
export const adversarialReviewBody = z.strictObject({
  task: text(MAX_TEXT),
  rounds: z.number().int().min(1).max(10).default(3),
  drafter: multiAgentModel.optional(),
  critic: multiAgentModel.optional(),
  reviser: multiAgentModel.optional(),
  rubric: text(20_000).optional(),
});
export type AdversarialReviewBody = z.input<typeof adversarialReviewBody>;

const critique = z.object({ issues: z.array(z.object({ severity: reviewSeverity, text: z.string() })) });

export const adversarialReviewResult = z.object({
  runId: z.string(),
  final: z.string(),
  rounds: z.array(z.object({ draft: z.string(), critique, revision: z.string().nullable() })),
  stoppedEarly: z.boolean(),
  costMicros: z.number(),
});
export type AdversarialReviewResult = z.infer<typeof adversarialReviewResult>;

export const multiAgentRunParams = z.strictObject({ runId: z.string().min(1).max(200) });

/** `GET /api/multi-agent/runs/:runId`: either kind, as its events tell it (texts DLP-masked). */
export const multiAgentRun = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('consensus'),
    runId: z.string(),
    status: z.enum(['running', 'escalated', 'succeeded', 'failed', 'cancelled']),
    error: z.string().optional(),
    method: z.enum(['vote', 'entropy']),
    answer: z.string().nullable(),
    tie: z.boolean(),
    clusters: z.array(consensusCluster),
    entropy: z.number().nullable(),
    threshold: z.number().nullable(),
    escalated: z.boolean(),
    hitlRequestId: z.string().optional(),
    chosenCluster: z.number().nullable(),
    agents: z.array(
      z.object({
        agentIndex: z.number(),
        provider: z.string(),
        model: z.string(),
        status: z.enum(['pending', 'answered', 'failed']),
        code: z.string().optional(),
      }),
    ),
    judgeCalls: z.number(),
  }),
  z.object({
    kind: z.literal('adversarial-review'),
    runId: z.string(),
    status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
    error: z.string().optional(),
    final: z.string().nullable(),
    stoppedEarly: z.boolean(),
    rounds: z.array(
      z.object({ draft: z.string(), critique: critique.nullable(), revision: z.string().nullable() }),
    ),
    childRunIds: z.array(z.string()),
  }),
]);
export type MultiAgentRun = z.infer<typeof multiAgentRun>;

export const consensusPickBody = z.strictObject({ cluster: z.number().int().min(0).max(31) });
export type ConsensusPickBody = z.infer<typeof consensusPickBody>;

/** The org's consensus settings; `defaultModel` null: the deployment's default model (`demo/demo`). */
export const multiAgentSettings = z.strictObject({
  entropyThreshold: z.number().min(0).max(10),
  defaultModel: z
    .strictObject({ provider: text(60), model: text(200) })
    .nullable()
    .default(null),
});
export type MultiAgentSettings = z.infer<typeof multiAgentSettings>;
export type MultiAgentSettingsBody = z.input<typeof multiAgentSettings>;
