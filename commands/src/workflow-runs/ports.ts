import type { Actor } from '@proofpane/core';
import type { PinnedWorkflow } from './decide.js';

/** The published versions of the org's workflows, as the definitions' read model holds them. */
export interface PublishedWorkflows {
  /**
   * The version named, when it was published; without a version, the latest published one of a workflow
   * that is not deprecated. `undefined` when there is none.
   */
  find(input: {
    org: string;
    workflowId: string;
    version?: number | undefined;
  }): Promise<PinnedWorkflow | undefined>;
}

export type ApprovalDecision = 'pending' | 'approved' | 'denied' | 'expired' | 'missing';

/** The HITL service as a hitl step uses it: requests opened under an id the run recorded first. */
export interface HumanApprovals {
  /** Opens the request; a request that already exists under this id is left as it is. */
  open(input: {
    org: string;
    requestId: string;
    actor: Actor;
    runId: string;
    target: string;
    summary: string;
    args: unknown;
    timeoutSeconds: number;
    risk?: 'low' | 'medium' | 'high' | undefined;
  }): Promise<void>;
  decision(input: { org: string; requestId: string }): Promise<ApprovalDecision>;
  /** Calls `then` once the request is decided, here or in another process. */
  whenDecided(input: { org: string; requestId: string }, then: () => void): void;
}

/** An unfinished run a worker may pick up. */
export interface RunCandidate {
  org: string;
  runId: string;
}

/**
 * Where a worker finds the runs to resume or take over (a read model of the runs' events): running ones
 * whose lease is free, ended or held by a holder known to be dead, waiting ones a person has since
 * decided for, and any whose wall-time deadline passed.
 */
export interface RunIndex {
  candidates(input: {
    now: Date;
    holder: string;
    /** Leases whose holder starts with this are dead (another incarnation of this worker); `*`: all others. */
    deadHolders: string | undefined;
    limit: number;
  }): Promise<RunCandidate[]>;
}

/** The pinned version cannot be read back as it was pinned: the run can never go on. */
export class GraphUnavailableError extends Error {
  override readonly name = 'GraphUnavailableError';
}
