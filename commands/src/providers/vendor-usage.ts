import type { LanguageModelV3Usage } from '@ai-sdk/provider';
import type { Usage } from './types.js';

const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;

/**
 * The SDK model's usage as the gateway records it. Cache counts are kept only when the vendor reported
 * some; the one-hour share of cache writes is read from the vendor's own usage object (Anthropic's
 * `cache_creation.ephemeral_1h_input_tokens`), which the SDK passes through as `raw`.
 */
export function usageOf(usage: LanguageModelV3Usage): Usage {
  const raw = usage.raw as { cache_creation?: { ephemeral_1h_input_tokens?: unknown } } | undefined;
  const cacheReadTokens = count(usage.inputTokens.cacheRead);
  const cacheWriteTokens = count(usage.inputTokens.cacheWrite);
  const oneHour = count(raw?.cache_creation?.ephemeral_1h_input_tokens);
  const cacheWrite1hTokens =
    oneHour === undefined || cacheWriteTokens === undefined ? undefined : Math.min(oneHour, cacheWriteTokens);
  return {
    inputTokens: usage.inputTokens.total ?? 0,
    outputTokens: usage.outputTokens.total ?? 0,
    ...(cacheReadTokens ? { cacheReadTokens } : {}),
    ...(cacheWriteTokens ? { cacheWriteTokens } : {}),
    ...(cacheWrite1hTokens ? { cacheWrite1hTokens } : {}),
  };
}

/**
 * The usage Anthropic reports in `message_start`, before any content: its `input_tokens` leaves out cache
 * reads and writes, which the gateway's `inputTokens` counts. Undefined for any other stream event.
 */
export function anthropicStartUsage(event: unknown): Usage | undefined {
  const e = event as { type?: unknown; message?: { usage?: Record<string, unknown> } } | null;
  if (e?.type !== 'message_start' || !e.message?.usage) return undefined;
  const u = e.message.usage;
  const input = count(u.input_tokens) ?? 0;
  const cacheReadTokens = count(u.cache_read_input_tokens);
  const cacheWriteTokens = count(u.cache_creation_input_tokens);
  const oneHour = count(
    (u.cache_creation as { ephemeral_1h_input_tokens?: unknown } | undefined)?.ephemeral_1h_input_tokens,
  );
  return {
    inputTokens: input + (cacheReadTokens ?? 0) + (cacheWriteTokens ?? 0),
    outputTokens: count(u.output_tokens) ?? 0,
    ...(cacheReadTokens ? { cacheReadTokens } : {}),
    ...(cacheWriteTokens ? { cacheWriteTokens } : {}),
    ...(oneHour && cacheWriteTokens ? { cacheWrite1hTokens: Math.min(oneHour, cacheWriteTokens) } : {}),
  };
}
