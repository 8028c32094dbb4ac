import type { SharedV3ProviderMetadata } from '@ai-sdk/provider';
import type { ChatRequest, ProviderId, ReasoningPart } from './types.js';

/** Anthropic's proof of a thinking block, or its encrypted form, as its SDK model hands them over. */
export function anthropicReasoningMetadata(metadata: SharedV3ProviderMetadata | undefined): {
  signature?: string;
  redactedData?: string;
} {
  const a = metadata?.anthropic;
  return {
    ...(typeof a?.signature === 'string' ? { signature: a.signature } : {}),
    ...(typeof a?.redactedData === 'string' ? { redactedData: a.redactedData } : {}),
  };
}

/**
 * The answer's thinking, kept for Anthropic only: its blocks are signed, so a caller can send them back.
 * Other vendors' reasoning has no field in the answers the gateway renders, and is not kept (as before).
 */
export function reasoningOf(
  provider: ProviderId,
  content: readonly { type: string; text?: string; providerMetadata?: SharedV3ProviderMetadata }[],
): ReasoningPart[] {
  if (provider !== 'anthropic') return [];
  return content.flatMap((part): ReasoningPart[] => {
    if (part.type !== 'reasoning') return [];
    const { signature, redactedData } = anthropicReasoningMetadata(part.providerMetadata);
    if (redactedData !== undefined) return [{ type: 'redacted-thinking', data: redactedData }];
    return [{ type: 'thinking', text: part.text ?? '', signature: signature ?? '' }];
  });
}

/**
 * The encrypted thinking a request sends back. The vendor bills it as input, and it is not text DLP reads,
 * so the budget bounds it by its own bytes.
 */
export const redactedThinking = (request: Pick<ChatRequest, 'messages'>): string[] =>
  request.messages.flatMap((m) =>
    m.role === 'assistant'
      ? (m.reasoning ?? []).flatMap((r) => (r.type === 'redacted-thinking' ? [r.data] : []))
      : [],
  );
