import type { Actor, EventData, EventStore, NewEvent } from '@proofpane/core';

type CallFailed = EventData<'cp.llm.call.failed'>;

export const callSubject = (requestId: string) => `call/${requestId}`;

/** Who a call was for: the provider and model asked for, and the caller's agent, key and user when known. */
export type CallFailedParty = Pick<CallFailed, 'provider' | 'model' | 'agent' | 'apiKeyId' | 'userId'>;

/**
 * The one builder of `cp.llm.call.failed`, for a call its provider failed as much as for one refused
 * before it reached the provider. The message is cut to what the catalogue holds, so a long provider
 * error cannot make the audit itself fail.
 */
export function callFailedEvent(options: {
  requestId: string;
  actor: Actor;
  party: CallFailedParty;
  route: string;
  code: string;
  message: string;
  attempts: number;
  latencyMs: number;
}): NewEvent<'cp.llm.call.failed', CallFailed> {
  const { party } = options;
  return {
    type: 'cp.llm.call.failed',
    subject: callSubject(options.requestId),
    actor: options.actor,
    data: {
      provider: party.provider,
      model: party.model,
      ...(party.agent ? { agent: party.agent } : {}),
      ...(party.apiKeyId ? { apiKeyId: party.apiKeyId } : {}),
      ...(party.userId ? { userId: party.userId } : {}),
      route: options.route,
      code: options.code,
      message: options.message.slice(0, 500),
      attempts: options.attempts,
      latencyMs: options.latencyMs,
    },
  };
}

/**
 * Audits a request refused before it became a call (a body its wire format does not allow, a model no
 * provider serves): nothing reached a provider, so no attempts, and the provider is unknown.
 */
export async function auditRefusedRequest(options: {
  store: EventStore;
  org: string;
  requestId: string;
  actor: Actor;
  party: Omit<CallFailedParty, 'provider'>;
  route: string;
  message: string;
  latencyMs: number;
}): Promise<void> {
  await options.store.append({
    org: options.org,
    events: [
      callFailedEvent({
        requestId: options.requestId,
        actor: options.actor,
        party: { ...options.party, provider: 'unknown' },
        route: options.route,
        code: 'invalid_request',
        message: options.message,
        attempts: 0,
        latencyMs: options.latencyMs,
      }),
    ],
  });
}
