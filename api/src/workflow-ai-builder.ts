import { z } from 'zod';
import { workflowGraphInput } from './workflows.js';

/** Bounds of one AI Builder request, so a chat cannot grow a prompt without limit. */
export const WORKFLOW_BUILDER_LIMITS = { messageChars: 2_000, historyTurns: 20, turnChars: 2_000 } as const;

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'no NUL characters');

/**
 * `POST /api/workflows/builder/propose`: the graph on the canvas, what the person asks, the chat so far,
 * and optionally the model as `provider/model` (the offline demo when absent).
 */
export const workflowBuilderProposeBody = z.strictObject({
  definition: workflowGraphInput,
  message: text(WORKFLOW_BUILDER_LIMITS.messageChars),
  history: z
    .array(
      z.strictObject({
        role: z.enum(['user', 'assistant']),
        text: text(WORKFLOW_BUILDER_LIMITS.turnChars),
      }),
    )
    .max(WORKFLOW_BUILDER_LIMITS.historyTurns)
    .optional(),
  model: z
    .string()
    .max(200)
    .regex(/^[a-z0-9-]+\/[\w.:@/-]+$/, 'provider/model, such as openai/gpt-4o-mini')
    .optional(),
});
export type WorkflowBuilderProposeBody = z.input<typeof workflowBuilderProposeBody>;

/** One RFC 6902 operation as the proposal carries it. */
export const workflowPatchOperation = z.object({
  op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
  path: z.string(),
  from: z.string().optional(),
  value: z.unknown().optional(),
});
export type WorkflowPatchOperation = z.infer<typeof workflowPatchOperation>;

/**
 * A proposal that applies and whose graph passes every save rule. `proposalId` is null when the patch is
 * empty (nothing recorded); otherwise `cp.workflow.builder.proposed` names it, and a version saved with
 * `resultHash` as its hash is this proposal accepted.
 */
export const workflowBuilderProposal = z.object({
  proposalId: z.string().nullable(),
  summary: z.string(),
  patch: z.array(workflowPatchOperation),
  definition: z.object({
    nodes: z.array(z.object({ id: z.string(), type: z.string(), config: z.record(z.string(), z.unknown()) })),
    edges: z.array(z.object({ from: z.string(), to: z.string(), when: z.string().optional() })),
  }),
  baseHash: z.string(),
  resultHash: z.string(),
  calls: z.number().int(),
  costMicros: z.number().int(),
  model: z.string(),
});
export type WorkflowBuilderProposal = z.infer<typeof workflowBuilderProposal>;

/** One reason in a `workflow_patch_rejected` problem's `problems`. */
export const workflowPatchProblem = z.object({
  code: z.string(),
  message: z.string(),
  op: z.number().int().optional(),
  node: z.string().optional(),
  field: z.string().optional(),
});
export type WorkflowPatchProblem = z.infer<typeof workflowPatchProblem>;
