import type { ModelPrice } from './price-table.js';

const PER_MILLION = 1_000_000;

/** Exact cost of a finished call in integer micro-dollars, rounded up so that spend is never under-counted. */
export function costMicros(options: {
  inputTokens: number;
  outputTokens: number;
  price: ModelPrice;
}): number {
  const { inputTokens, outputTokens, price } = options;
  const scaled = inputTokens * price.inputMicrosPerMTok + outputTokens * price.outputMicrosPerMTok;
  return Math.ceil(scaled / PER_MILLION);
}

/**
 * Upper bound on input tokens without a tokenizer: one token per 3 UTF-8 bytes (BPE tokenizers average
 * ~4 bytes per token on English and about 3 on CJK text), plus a per-message framing allowance.
 */
export function estimateInputTokens(options: {
  texts: readonly string[];
  perMessageOverhead?: number;
}): number {
  const overhead = options.perMessageOverhead ?? 4;
  let tokens = 0;
  for (const text of options.texts) tokens += Math.ceil(Buffer.byteLength(text, 'utf8') / 3) + overhead;
  return tokens;
}

/** What the budget gate reserves before a call: the estimated input plus every output token allowed. */
export function worstCaseMicros(options: {
  inputTokensEstimate: number;
  maxTokens: number;
  price: ModelPrice;
}): number {
  return costMicros({
    inputTokens: options.inputTokensEstimate,
    outputTokens: options.maxTokens,
    price: options.price,
  });
}

export const microsToUsd = (micros: number): number => micros / 1_000_000;
