import type { Actor } from '@proofpane/core';
import type { NodeType, WorkflowNode } from '../workflows/graph.js';
import type { MappingContext } from '../workflows/mapping.js';

/** What a step's executor is given: the node, the attempt, and what its mappings resolve against. */
export interface StepContext {
  org: string;
  runId: string;
  workflowId: string;
  version: number;
  node: WorkflowNode;
  attempt: number;
  /** The run input and the outputs of the steps completed so far. */
  mapping: MappingContext;
  /** The id a child run of this attempt takes (a skill step's run), recorded on the step's start. */
  childRunId: string | undefined;
  /** Who started the run: the principal the step's gated calls act for. */
  actor: Actor;
  /** Aborted when the step times out, the run is cancelled or this worker loses the run. */
  signal: AbortSignal;
  /** Set when a person approved this attempt's `approval` result: the step now does what was approved. */
  approved?: boolean | undefined;
}

/**
 * An attempt's result. `approval` asks the engine to pause the step for a person (a hitl node); the engine
 * opens the request under an id it has recorded first, so a restart resumes the same request.
 */
export type StepResult =
  | {
      status: 'completed';
      output: unknown;
      outcome?: string | undefined;
      costMicros?: number | undefined;
      childRunId?: string | undefined;
      /**
       * Keep `output` outside the log (decisions/0052): the engine writes it to the kept-outputs table in
       * the completion's transaction and the event carries its reference, SHA-256 and these field names.
       */
      keep?: { fields: string[] } | undefined;
    }
  | {
      status: 'failed';
      code: string;
      message: string;
      /** False for failures another attempt cannot fix (bad input, refused by policy, not available). */
      retryable: boolean;
      costMicros?: number | undefined;
    }
  | {
      status: 'approval';
      summary: string;
      timeoutSeconds: number;
      risk?: 'low' | 'medium' | 'high' | undefined;
      /** Identifiers the request carries beside the workflow's (an object id, field names), never values. */
      details?: Record<string, string | string[]> | undefined;
    };

export type StepExecutor = (context: StepContext) => Promise<StepResult>;

/** One executor per node type; a type without one fails its steps as `not_available`. */
export type StepExecutors = Partial<Record<Exclude<NodeType, 'trigger'>, StepExecutor>>;

/** The failure of a step whose node type this deployment cannot run (yet): never a pretended success. */
export const notAvailable =
  (what: string): StepExecutor =>
  async () => ({ status: 'failed', code: 'not_available', message: what, retryable: false });

/** A step's failure from a thrown error: the message, never a stack. */
export const failedWith = (code: string, error: unknown, retryable: boolean): StepResult => ({
  status: 'failed',
  code,
  message: error instanceof Error ? error.message : String(error),
  retryable,
});
