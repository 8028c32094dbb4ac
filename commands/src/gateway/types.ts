import type { Actor } from '@proofpane/core';
import type { ChatRequest, ProviderId } from '../providers/index.js';

/** Who is calling, as the server's authentication resolved it. */
export interface GatewayCaller {
  org: string;
  actor: Actor;
  userId?: string;
  apiKeyId?: string;
  /** The per-agent policy scope: the `x-proofpane-agent` header or the API key's agent binding. */
  agent?: string;
}

/** The wire route a call came in on, recorded on its events. */
export type GatewayRoute =
  | 'openai.chat.completions'
  | 'anthropic.messages'
  | 'openai.responses'
  | 'openai.embeddings'
  | 'anthropic.count_tokens'
  /** A governed skill's structured call (`commands/src/skills`). */
  | 'skill'
  /** A consensus agent, a reviewer or an equivalence judge (`commands/src/multi-agent`). */
  | 'multi-agent'
  /** A provider's answer to a cross-vendor evaluation case (`commands/src/cross-vendor-evals`). */
  | 'cross-vendor'
  /** A use case's document chunks or search query, embedded (`commands/src/documents`). */
  | 'documents'
  /** A dream's proposal or a replay of a candidate capsule: the evolution budget line (`commands/src/evolution`). */
  | 'evolution'
  /** An L4 judge's verdict on an output: the quality budget line (`commands/src/quality-judge`). */
  | 'quality-judge'
  /** A Repo Coder or Greenfield session's model turn (`commands/src/coder`). */
  | 'coder'
  /** A Parallel Universe item's triage (`commands/src/parallel-universe`): its budget meter. */
  | 'parallel-universe'
  /** A workflow AI Builder's proposed JSON Patch (`commands/src/workflow-ai-builder`). */
  | 'workflow-builder';

/** The run an outside caller groups its calls into (`x-proofpane-run-id` and friends, docs/runs.md). */
export interface CallRun {
  id: string;
  parentId?: string;
  name?: string;
}

/** One governed call, vendor-neutral: the wire adapters build it from the OpenAI or Anthropic body. */
export interface GatewayCall {
  requestId: string;
  route: GatewayRoute;
  caller: GatewayCaller;
  stream: boolean;
  /** The request as the caller sent it (unmasked); `provider` resolved from the model name. */
  request: Omit<ChatRequest, 'credentials'> & { provider: ProviderId };
  /** The approved HITL request the caller repeats the call with (`x-proofpane-hitl`). */
  hitlApproval?: string;
  /** The run the caller groups this call into; every event of the call names it in `meta.runId`. */
  run?: CallRun;
  /** The org's capsule whose text is the call's system prompt, recorded on `cp.llm.call.completed`. */
  capsuleId?: string;
  /** Document chunks retrieved into the prompt (a skill run for a use case), recorded on the call event. */
  retrievedChunkIds?: string[];
  /** Stops the provider call (a killed run); the call is then audited as failed. */
  signal?: AbortSignal;
}

/** Knobs the server reads from its configuration. */
export interface GatewaySettings {
  /** The output budget reserved (and sent as max tokens) when a request names none and the policy sets no limit. */
  defaultMaxTokens: number;
  /** How long a reservation lives before the sweeper treats its call as dead. */
  reservationTtlSeconds: number;
  /** A call costing more than this many times the org's recent average raises an anomaly event. */
  anomalyFactor: number;
}

/** Milliseconds spent in each gate, for the `Server-Timing` header. */
export type GateTimings = Partial<Record<'policy' | 'budget' | 'provider' | 'audit', number>>;
