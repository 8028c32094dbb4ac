import type { SharedV3ProviderMetadata } from '@ai-sdk/provider';
import type { TokenLogprob } from './types.js';

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const bytesOf = (v: unknown): number[] | null =>
  Array.isArray(v) && v.every((b) => Number.isInteger(b)) ? (v as number[]) : null;

/**
 * The OpenAI SDK model's token log probabilities (`providerMetadata.openai.logprobs`, the vendor's
 * `choices[0].logprobs.content`, gathered whole at the end of a stream). Entries of another shape are
 * skipped rather than passed on, so the answer only ever carries OpenAI's documented fields. The SDK
 * model keeps no `bytes`, so they are null (OpenAI's type allows it) unless a future SDK passes them.
 */
export function logprobsOf(metadata: SharedV3ProviderMetadata | undefined): TokenLogprob[] | undefined {
  const raw = metadata?.openai?.logprobs;
  if (!Array.isArray(raw)) return undefined;
  const out: TokenLogprob[] = [];
  for (const entry of raw as Record<string, unknown>[]) {
    if (typeof entry?.token !== 'string' || !isNumber(entry.logprob)) continue;
    const tops = Array.isArray(entry.top_logprobs) ? (entry.top_logprobs as Record<string, unknown>[]) : [];
    out.push({
      token: entry.token,
      logprob: entry.logprob,
      bytes: bytesOf(entry.bytes),
      top_logprobs: tops
        .filter((t) => typeof t?.token === 'string' && isNumber(t.logprob))
        .map((t) => ({ token: t.token as string, logprob: t.logprob as number, bytes: bytesOf(t.bytes) })),
    });
  }
  return out;
}
