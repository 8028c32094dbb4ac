import { z } from 'zod';
import { hex64, id, usdMicros } from './schemas.js';

/** A step's input or output, and a run's input: JSON, at most this many characters once serialised. */
export const MAX_WORKFLOW_VALUE_CHARS = 65_536;

const jsonValue = z.unknown().refine(
  (value) => {
    const text = JSON.stringify(value);
    return text !== undefined && text.length <= MAX_WORKFLOW_VALUE_CHARS;
  },
  { message: `a JSON value of at most ${MAX_WORKFLOW_VALUE_CHARS} characters` },
);
const nodeId = z.string().min(1).max(100);
const attempt = z.number().int().min(1).max(1_000);
const time = z.iso.datetime({ offset: true });
const reasonCode = z.string().min(1).max(60);
const reason = z.string().max(500);
const holder = z.string().min(1).max(200);

export const workflowTriggerKinds = ['manual', 'schedule', 'webhook', 'event', 'eval'] as const;

/**
 * A workflow's run (`commands/src/workflow-runs`, docs/workflow-engine.md) on its subject `run/<id>`,
 * after `cp.run.started` of kind `workflow` and before `cp.run.completed`. Each step appends scheduled,
 * started, then completed, failed or retried, with its node id and attempt; every event carries
 * `meta.runId`. The run's state is the fold of these events. A lease names the worker allowed to
 * append the next transition; appends expect the subject's version, so only one worker wins.
 */
export const workflowRunEvents = {
  /** Pins the run to a published version by its graph's SHA-256, with the input and the run's budget. */
  'cp.workflow.run.started': z.strictObject({
    workflowId: id,
    version: z.number().int().min(1),
    graphSha256: hex64,
    trigger: z.strictObject({ kind: z.enum(workflowTriggerKinds), ref: z.string().max(200).optional() }),
    input: jsonValue,
    budget: z.strictObject({
      maxSteps: z.number().int().min(1).max(10_000),
      maxUsdMicros: usdMicros.optional(),
      maxWallMs: z.number().int().min(1),
    }),
    deadline: time,
  }),
  'cp.workflow.run.leased': z.strictObject({ holder, expiresAt: time }),
  'cp.workflow.run.released': z.strictObject({ holder }),
  'cp.workflow.step.scheduled': z.strictObject({ nodeId, attempt, notBefore: time.optional() }),
  'cp.workflow.step.started': z.strictObject({
    nodeId,
    attempt,
    nodeType: z.string().min(1).max(40),
    holder,
    timeoutAt: time,
    /** The run a skill step starts under the workflow run, named before it starts so a worker taking over can end it. */
    childRunId: id.optional(),
  }),
  /** A hitl step waits for a person on this request; the run holds no lease meanwhile. */
  'cp.workflow.step.waiting': z.strictObject({ nodeId, attempt, hitlRequestId: id }),
  /** `outcome` selects the edges taken (`true`/`false`, `approved`/`denied`/`timeout`). */
  'cp.workflow.step.completed': z.strictObject({
    nodeId,
    attempt,
    output: jsonValue,
    outcome: z.string().min(1).max(40).optional(),
    costMicros: usdMicros,
    childRunId: id.optional(),
  }),
  /** `costMicros`: what the failed attempt spent (a skill's model calls), counted against the run's budget. */
  'cp.workflow.step.failed': z.strictObject({
    nodeId,
    attempt,
    code: reasonCode,
    error: reason,
    costMicros: usdMicros.optional(),
  }),
  /** The attempt before failed (or was cut short); `attempt` is the new one, due at `notBefore`. */
  'cp.workflow.step.retried': z.strictObject({
    nodeId,
    attempt,
    code: reasonCode,
    error: reason,
    notBefore: time,
    costMicros: usdMicros.optional(),
  }),
  /**
   * Step outputs kept outside the log (decisions/0052) deleted before their retention ran out, on subject
   * `workflow-output/<runId>`: how many rows, never what they held.
   */
  'cp.workflow.outputs.erased': z.strictObject({ runId: id, count: z.number().int().min(0) }),
} as const;

export const workflowHookRefusals = ['bad_signature', 'stale_timestamp', 'replayed'] as const;

/**
 * Webhook triggers, one subject `workflow-hook/<id>`. The URL token is recorded by its SHA-256 only; the
 * signing secret is derived from the platform master key and the token, so it is in no event and no row.
 * Refused deliveries are recorded (at most once a minute per hook, reason and server process).
 */
export const workflowHookEvents = {
  'cp.workflow.hook.created': z.strictObject({ hookId: id, workflowId: id, tokenSha256: hex64 }),
  'cp.workflow.hook.revoked': z.strictObject({ hookId: id }),
  'cp.workflow.hook.refused': z.strictObject({ hookId: id, reason: z.enum(workflowHookRefusals) }),
} as const;

const evalCheck = z.strictObject({
  /** `assertion` on a node's output, the `path` the run took, or its `steps` against the case's budget. */
  kind: z.enum(['assertion', 'path', 'steps', 'status']),
  node: nodeId.optional(),
  type: z.string().max(40).optional(),
  passed: z.boolean(),
  message: z.string().max(500).optional(),
});

/**
 * Eval suites of a workflow (`commands/src/workflow-evals`), one subject `workflow-eval/<id>`: each case is a
 * run of the version (trigger `eval`), its checks recorded when it ends, then the suite's verdict.
 */
export const workflowEvalEvents = {
  'cp.workflow.eval.case.completed': z.strictObject({
    evalId: id,
    workflowId: id,
    version: z.number().int().min(1),
    name: z.string().min(1).max(200),
    runId: id,
    passed: z.boolean(),
    checks: z.array(evalCheck).max(60),
  }),
  'cp.workflow.eval.completed': z.strictObject({
    evalId: id,
    workflowId: id,
    version: z.number().int().min(1),
    passed: z.boolean(),
    cases: z.number().int().min(0),
    failed: z.number().int().min(0),
  }),
} as const;
