import { type CompiledPolicy, evaluatePolicy } from '../policy/index.js';
import { requestMedia } from '../providers/capabilities.js';
import { requestTexts } from './texts.js';
import type { GatewayCall } from './types.js';

/**
 * The policy gate's verdict on a call: provider, model, agent scope, max tokens, tools, media, then DLP
 * over every text. Pure; the process runs it once per call and hands the verdict to `decideCall`.
 */
export function callVerdict(call: GatewayCall, policy: CompiledPolicy) {
  const { caller, request } = call;
  const media = requestMedia(request);
  return evaluatePolicy({
    policy,
    request: {
      provider: request.provider,
      model: request.model,
      ...(caller.agent ? { agent: caller.agent } : {}),
      ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
      tools: (request.tools ?? []).map((t) => t.name),
      ...(media.length > 0 ? { media: media.length } : {}),
      texts: requestTexts(request),
    },
  });
}
