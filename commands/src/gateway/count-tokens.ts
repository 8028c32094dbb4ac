import { evaluatePolicy } from '../policy/index.js';
import { type ChatRequest, redactedThinking } from '../providers/index.js';
import type { GatewayDeps } from './deps.js';
import { GatewayRefusal } from './errors.js';
import { policyDecidedEvent } from './gate-events.js';
import { requestTexts } from './texts.js';
import type { GateTimings, GatewayCall } from './types.js';

const BYTES_PER_TOKEN = 3;
const PER_MESSAGE_TOKENS = 3;
const PER_REQUEST_TOKENS = 7;
/** The system prompt Anthropic adds when tools are offered (its documented figure for `auto`, the larger one). */
const TOOLS_TOKENS = 346;

/**
 * Proofpane's count of a Messages request's input tokens, computed without any vendor: one token per three
 * UTF-8 bytes of every text (system, messages, tool results, tool definitions, encrypted thinking sent
 * back), plus 3 per message, 7 per request and 346 when tools are offered. Claude's tokenizer averages
 * more bytes per token than that for prose and code, so the count errs high: a prompt it says fits, fits.
 */
export function approximateInputTokens(request: Pick<ChatRequest, 'system' | 'messages' | 'tools'>): number {
  const texts = [
    ...requestTexts(request),
    ...(request.tools ?? []).map((t) => JSON.stringify(t)),
    ...redactedThinking(request),
  ];
  const bytes = texts.reduce((sum, t) => sum + Buffer.byteLength(t, 'utf8'), 0);
  return (
    Math.ceil(bytes / BYTES_PER_TOKEN) +
    PER_MESSAGE_TOKENS * request.messages.length +
    PER_REQUEST_TOKENS +
    (request.tools?.length ? TOOLS_TOKENS : 0)
  );
}

/**
 * `POST /v1/messages/count_tokens` through the policy gate only: it calls no model and spends nothing, so
 * there is no budget step. A request the policy blocks (a model, a tool, DLP) is refused like the call it
 * precedes; the decision is audited on `call/<id>`. A decision to ask a person is not a refusal here: the
 * approval belongs to the model call, and counting reveals nothing to anyone.
 */
export async function governedCountTokens(options: {
  deps: GatewayDeps;
  call: GatewayCall;
}): Promise<{ inputTokens: number; timings: GateTimings }> {
  const { deps, call } = options;
  const { caller, request, requestId } = call;
  const started = performance.now();
  const policy = await deps.policies.current({ org: caller.org });
  const verdict = evaluatePolicy({
    policy: policy.compiled,
    request: {
      provider: request.provider,
      model: request.model,
      ...(caller.agent ? { agent: caller.agent } : {}),
      tools: (request.tools ?? []).map((t) => t.name),
      texts: requestTexts(request),
    },
  });
  await deps.store.append({
    org: caller.org,
    events: [policyDecidedEvent({ call, policyVersion: policy.version, verdict })],
  });
  const timings: GateTimings = { policy: performance.now() - started };
  if (verdict.decision === 'block')
    throw new GatewayRefusal(verdict.code ?? 'policy_blocked', verdict.reason, requestId);
  return { inputTokens: approximateInputTokens(request), timings };
}
