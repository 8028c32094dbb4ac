import type { Actor } from '@proofpane/core';
import { newId } from '@proofpane/core';
import type { Gateway, GatewayCaller } from '../gateway/index.js';
import type { ChatMessage, ProviderId, ResponseFormat } from '../providers/types.js';

/** A provider and one of its models: an agent, a drafter, a judge. */
export interface ModelRef {
  provider: ProviderId;
  model: string;
}

/** One model call as the multi-agent primitives ask for it; the caller decides how it is governed. */
export interface ModelCallInput extends ModelRef {
  system?: string;
  messages: ChatMessage[];
  temperature?: number;
  responseFormat?: ResponseFormat;
  /** The run the call belongs to (`meta.runId` on every event of the call). */
  runId?: string;
  signal?: AbortSignal;
}

export interface ModelCallOutput {
  text: string;
  /** What the call was charged, in micro-dollars. */
  costMicros: number;
  /** The governed call's request id (`call/<id>`). */
  requestId: string;
}

/**
 * A governed model call: every call the primitives make goes through one of these, so policy, DLP,
 * budget and audit apply to each agent, critic and judge alike.
 */
export type GovernedCall = (input: ModelCallInput) => Promise<ModelCallOutput>;

/** The gateway as a `GovernedCall` for one caller: what the server and the specs wire. */
export function gatewayCall(options: {
  gateway: Pick<Gateway, 'complete'>;
  org: string;
  actor: Actor;
  caller?: Pick<GatewayCaller, 'userId' | 'apiKeyId' | 'agent'>;
}): GovernedCall {
  return async (input) => {
    const requestId = newId('req');
    const answered = await options.gateway.complete({
      requestId,
      route: 'multi-agent',
      caller: { org: options.org, actor: options.actor, ...options.caller },
      stream: false,
      request: {
        provider: input.provider,
        model: input.model,
        messages: input.messages,
        ...(input.system ? { system: input.system } : {}),
        ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
        ...(input.responseFormat ? { responseFormat: input.responseFormat } : {}),
      },
      ...(input.runId ? { run: { id: input.runId } } : {}),
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return { text: answered.result.text, costMicros: answered.costMicros, requestId };
  };
}
