import type { Actor, EventStore } from '@proofpane/core';
import type { ChatMessage } from '../providers/types.js';
import type { GovernedCall, ModelRef } from './model-call.js';

export type ConsensusMethod = 'vote' | 'entropy';

export interface AgentSpec extends ModelRef {
  temperature?: number;
}

/** A cluster as callers see it: how many agreed, which agents, and the first one's answer. */
export interface ClusterView {
  size: number;
  members: number[];
  representative: string;
}

/** Opens the person's review of an escalated consensus; the server wires the HITL service. */
export interface ConsensusEscalation {
  open(input: {
    org: string;
    actor: Actor;
    runId: string;
    question: string;
    clusters: ClusterView[];
    entropy: number;
    threshold: number;
  }): Promise<{ requestId: string }>;
}

export interface ConsensusDeps {
  store: EventStore;
  /** The governed call every agent and judge call goes through, bound to the caller. */
  call: GovernedCall;
  escalation?: ConsensusEscalation | undefined;
  /** The model agents and the judge use when none is named (`demo/demo` by default). */
  defaultModel?: ModelRef | undefined;
}

export interface ConsensusRequest {
  org: string;
  actor: Actor;
  /** The conversation every agent answers; `prompt` is one user message. */
  messages: ChatMessage[];
  n: number;
  method: ConsensusMethod;
  agents?: AgentSpec[] | undefined;
  /** Semantic entropy above this escalates (entropy only); the org's setting when absent. */
  threshold: number;
  /** JSON Schema every answer must match; a vote then counts its decision fields. */
  outputSchema?: Record<string, unknown> | undefined;
  judge?: ModelRef | undefined;
  runId?: string | undefined;
  parentRunId?: string | undefined;
  name?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface ConsensusResult {
  runId: string;
  /** The agreed answer; null on a tie or while a person decides. */
  answer: string | null;
  method: ConsensusMethod;
  clusters: ClusterView[];
  entropy: number;
  tie: boolean;
  escalated: boolean;
  hitlRequestId?: string;
  /** Agents that failed, by index, with the code of their failure. */
  failures: { agentIndex: number; code: string; message: string }[];
  comparisons: number;
  judgeCalls: number;
  costMicros: number;
}
