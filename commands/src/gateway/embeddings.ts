import { hash } from 'node:crypto';
import {
  type AttemptReport,
  type EmbeddingResult,
  offersEmbeddings,
  ProviderError,
} from '../providers/index.js';
import { auditOutcome, type CallOutcome } from './audit.js';
import { callFailedEvent } from './call-failed.js';
import type { GatewayDeps } from './deps.js';
import { GatewayRefusal } from './errors.js';
import { callParty } from './gate-events.js';
import { passGates } from './gates.js';
import type { RecentCosts } from './recent-costs.js';
import type { GateTimings, GatewayCall } from './types.js';

/** A finished embeddings call; vectors carry no text, so nothing is restored. */
export interface GovernedEmbedding {
  result: EmbeddingResult;
  timings: GateTimings;
}

/** What the call event's `completionSha256` covers: the vectors as float32, without keeping them. */
const vectorsSha256 = (embeddings: readonly number[][]) => {
  const floats = new Float32Array(embeddings.reduce((n, e) => n + e.length, 0));
  let at = 0;
  for (const e of embeddings) {
    floats.set(e, at);
    at += e.length;
  }
  return hash('sha256', new Uint8Array(floats.buffer), 'hex');
};

/**
 * An embeddings call through the same gates as chat: policy + DLP on the inputs (the provider embeds the
 * masked text), the budget reservation of the inputs' bound at the model's input price, the provider, then
 * `cp.llm.call.completed` (route `openai.embeddings`, no output tokens) and the settlement.
 */
export async function governedEmbed(options: {
  deps: GatewayDeps;
  call: GatewayCall;
  dimensions?: number | undefined;
  recentCosts: RecentCosts;
}): Promise<GovernedEmbedding> {
  const { deps, call, recentCosts } = options;
  const { provider } = call.request;
  if (!offersEmbeddings(provider)) {
    const message = `provider "${provider}" offers no embeddings; use an OpenAI, Gemini, OpenAI-compatible or demo model`;
    await deps.store.append({
      org: call.caller.org,
      events: [
        callFailedEvent({
          requestId: call.requestId,
          actor: call.caller.actor,
          party: callParty(call),
          route: call.route,
          code: 'invalid_request',
          message,
          attempts: 0,
          latencyMs: 0,
        }),
      ],
    });
    throw new GatewayRefusal('invalid_request', message, call.requestId);
  }
  const prepared = await passGates({ deps, call });
  const attempts: AttemptReport[] = [];
  const audit = async (outcome: CallOutcome) => {
    const started = performance.now();
    await auditOutcome({ deps: prepared.deps, prepared, outcome, attempts, recentCosts });
    prepared.timings.audit = performance.now() - started;
  };
  const { outbound } = prepared.plan;
  const started = performance.now();
  let result: EmbeddingResult;
  try {
    result = await deps.registry.embed(
      {
        provider,
        model: outbound.model,
        // An embeddings call carries each input as one user message with string content.
        values: outbound.messages.map((m) =>
          'content' in m && typeof m.content === 'string' ? m.content : '',
        ),
        ...(options.dimensions !== undefined ? { dimensions: options.dimensions } : {}),
        ...(outbound.user !== undefined ? { user: outbound.user } : {}),
        ...(outbound.credentials ? { credentials: outbound.credentials } : {}),
      },
      { onAttempt: (a) => attempts.push(a) },
    );
  } catch (error) {
    prepared.timings.provider = performance.now() - started;
    const message =
      error instanceof ProviderError
        ? error.message
        : `${provider} call failed: ${error instanceof Error ? error.message : String(error)}`;
    await audit({
      ok: false,
      code: 'provider_error',
      message,
      attempts: error instanceof ProviderError ? error.attempts : 1,
      chargeMicros: 0,
    });
    throw new GatewayRefusal('provider_error', message, call.requestId);
  }
  prepared.timings.provider = performance.now() - started;
  await audit({
    ok: true,
    text: vectorsSha256(result.embeddings),
    toolCalls: [],
    finishReason: 'stop',
    usage: { inputTokens: result.usage.inputTokens, outputTokens: 0 },
    attempts: result.attempts,
    removedSchemaKeywords: [],
  });
  return { result, timings: prepared.timings };
}
