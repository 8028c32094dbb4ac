import { z } from 'zod';

export const WORKFLOW_RUN_STATUSES = ['running', 'waiting', 'succeeded', 'failed', 'cancelled'] as const;
export const workflowRunStatus = z.enum(WORKFLOW_RUN_STATUSES);
export type WorkflowRunStatus = z.infer<typeof workflowRunStatus>;

export const WORKFLOW_STEP_STATUSES = ['scheduled', 'running', 'waiting', 'completed', 'failed'] as const;
export const WORKFLOW_RUN_TRIGGERS = ['manual', 'schedule', 'webhook', 'event', 'eval'] as const;

/** A run's input, or a case's: JSON of at most this many characters (the run's events hold it). */
export const WORKFLOW_RUN_INPUT_CHARS = 65_536;

const jsonInput = z.unknown().superRefine((value, ctx) => {
  const text = JSON.stringify(value);
  if (text === undefined) ctx.addIssue({ code: 'custom', message: 'must be a JSON value' });
  else if (text.length > WORKFLOW_RUN_INPUT_CHARS)
    ctx.addIssue({
      code: 'custom',
      message: `must be at most ${WORKFLOW_RUN_INPUT_CHARS} characters as JSON`,
    });
});

/** What a run may spend; each bound the server's default when absent. */
export const runBudgetInput = z.strictObject({
  maxSteps: z.number().int().min(1).max(10_000).optional(),
  maxUsd: z.number().min(0).max(1_000_000).optional(),
  maxWallSeconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .optional(),
});

export const workflowRunParams = z.strictObject({ id: z.string().min(1).max(100) });

/** `POST /api/workflows/:id/runs`: the input the trigger's `inputSchema` checks, on a published version. */
export const startWorkflowRunBody = z.strictObject({
  input: jsonInput.default({}),
  /** A published version; the latest published one when absent. */
  version: z.number().int().min(1).max(1_000_000).optional(),
  budget: runBudgetInput.optional(),
  /** The org's AI use case the run serves; `404 usecase_not_found` when the org has no such case. */
  useCaseId: z.string().min(1).max(200).optional(),
});
export type StartWorkflowRunBody = z.input<typeof startWorkflowRunBody>;

export const workflowRunStarted = z.object({ runId: z.string(), version: z.number().int() });
export type WorkflowRunStarted = z.infer<typeof workflowRunStarted>;

export const workflowRunListQuery = z.strictObject({
  workflow: z.string().min(1).max(100).optional(),
  status: workflowRunStatus.optional(),
  /** The `next` of the previous page. */
  after: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type WorkflowRunListQuery = z.input<typeof workflowRunListQuery>;

export const workflowRunSummary = z.object({
  id: z.string(),
  workflowId: z.string(),
  version: z.number().int(),
  name: z.string().nullable(),
  trigger: z.string(),
  status: workflowRunStatus,
  error: z.string().nullable(),
  stepsCompleted: z.number().int(),
  costMicros: z.number(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
});
export type WorkflowRunSummary = z.infer<typeof workflowRunSummary>;

export const workflowRunList = z.object({ runs: z.array(workflowRunSummary), next: z.string().nullable() });
export type WorkflowRunList = z.infer<typeof workflowRunList>;

export const workflowStepView = z.object({
  nodeId: z.string(),
  status: z.enum(WORKFLOW_STEP_STATUSES),
  attempts: z.number().int(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  output: z.unknown().optional(),
  outcome: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  childRunId: z.string().optional(),
  hitlRequestId: z.string().optional(),
  costMicros: z.number(),
});
export type WorkflowStepView = z.infer<typeof workflowStepView>;

/** `GET /api/workflow-runs/:id`: the run as its events tell it. */
export const workflowRunDetail = z.object({
  id: z.string(),
  workflowId: z.string(),
  version: z.number().int(),
  graphSha256: z.string(),
  trigger: z.object({ kind: z.string(), ref: z.string().optional() }),
  status: workflowRunStatus,
  error: z.string().nullable(),
  input: z.unknown(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  costMicros: z.number(),
  steps: z.array(workflowStepView),
});
export type WorkflowRunDetail = z.infer<typeof workflowRunDetail>;

export const cancelWorkflowRunBody = z.strictObject({ reason: z.string().min(1).max(300).optional() });

const evalJsonSchema = z.record(z.string().max(200), z.unknown());
const pointer = z.string().max(300);
const nodeRef = z.string().min(1).max(64);
/** An assertion on a node's output; `path` is a JSON Pointer into it (`""` the whole). */
export const nodeAssertion = z.discriminatedUnion('type', [
  z.strictObject({
    node: nodeRef,
    type: z.literal('schema'),
    path: pointer.optional(),
    schema: evalJsonSchema,
  }),
  z.strictObject({ node: nodeRef, type: z.literal('equals'), path: pointer, value: z.unknown() }),
  z.strictObject({
    node: nodeRef,
    type: z.literal('contains'),
    path: pointer,
    value: z.union([z.string().max(1_000), z.number(), z.boolean()]),
  }),
  z.strictObject({
    node: nodeRef,
    type: z.literal('range'),
    path: pointer,
    min: z.number().optional(),
    max: z.number().optional(),
  }),
]);

export const evalCaseInput = z.strictObject({
  name: z.string().min(1).max(200),
  input: jsonInput.default({}),
  assertions: z.array(nodeAssertion).max(50).optional(),
  /** The nodes the run must complete, in any order (the trigger excluded). */
  expectedPath: z.array(nodeRef).max(100).optional(),
  maxSteps: z.number().int().min(1).max(10_000).optional(),
});

/** `POST /api/workflows/:id/evals/run`. */
export const runEvalSuiteBody = z.strictObject({
  cases: z.array(evalCaseInput).min(1).max(20),
  version: z.number().int().min(1).max(1_000_000).optional(),
  /** How long the suite may take before unfinished cases are cancelled and fail (60 s). */
  timeoutSeconds: z.number().int().min(1).max(600).optional(),
});
export type RunEvalSuiteBody = z.input<typeof runEvalSuiteBody>;

export const evalCheck = z.object({
  kind: z.enum(['assertion', 'path', 'steps', 'status']),
  node: z.string().optional(),
  type: z.string().optional(),
  passed: z.boolean(),
  message: z.string().optional(),
});

export const evalSuiteResult = z.object({
  evalId: z.string(),
  workflowId: z.string(),
  version: z.number().int(),
  passed: z.boolean(),
  cases: z.array(
    z.object({
      name: z.string(),
      runId: z.string(),
      status: z.string(),
      passed: z.boolean(),
      checks: z.array(evalCheck),
    }),
  ),
});
export type EvalSuiteResult = z.infer<typeof evalSuiteResult>;

/**
 * `GET /api/workflow-runs/:id/kept-outputs` (admins): the run's step outputs kept outside the log
 * (decisions/0052), each with the SHA-256 its `cp.workflow.step.completed` records. Expired ones are gone.
 */
export const workflowKeptOutputs = z.object({
  outputs: z.array(
    z.object({
      nodeId: z.string(),
      attempt: z.number().int(),
      sha256: z.string(),
      fields: z.array(z.string()),
      value: z.unknown(),
      createdAt: z.string(),
      expiresAt: z.string(),
    }),
  ),
});
export type WorkflowKeptOutputs = z.infer<typeof workflowKeptOutputs>;

/** `DELETE /api/workflow-runs/:id/kept-outputs` (admins): how many kept outputs were erased. */
export const workflowKeptOutputsErased = z.object({ erased: z.number().int() });
export type WorkflowKeptOutputsErased = z.infer<typeof workflowKeptOutputsErased>;
