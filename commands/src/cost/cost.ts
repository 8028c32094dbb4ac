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

/** Framing tokens a vendor adds per message (role markers, separators): OpenAI documents 3–4, Anthropic fewer. */
export const PER_MESSAGE_OVERHEAD_TOKENS = 8;
/** Framing of the request as a whole (the reply's priming tokens). */
export const REQUEST_OVERHEAD_TOKENS = 16;
/**
 * The system prompt a vendor adds when tools are offered: Anthropic documents up to 346 tokens for tool
 * use (and more for its built-in tools); OpenAI does not publish its figure. Rounded up generously.
 */
export const TOOLS_OVERHEAD_TOKENS = 1_000;

/**
 * A true upper bound on input tokens, without a tokenizer: every vendor's tokenizer (byte-level BPE or
 * SentencePiece with byte fallback) emits at most one token per UTF-8 byte, so the byte count bounds the
 * text, and the vendors' documented framing is added per message, per request and for tools. Requests
 * carry text only (the wire schemas accept no image or document parts), so no media formula is needed.
 */
export function inputTokenBound(options: { texts: readonly string[]; tools?: boolean }): number {
  let tokens = REQUEST_OVERHEAD_TOKENS + (options.tools ? TOOLS_OVERHEAD_TOKENS : 0);
  for (const text of options.texts) tokens += Buffer.byteLength(text, 'utf8') + PER_MESSAGE_OVERHEAD_TOKENS;
  return tokens;
}

/** What the budget gate reserves before a call: the input bound plus every output token allowed. */
export function worstCaseMicros(options: {
  inputTokenBound: number;
  maxTokens: number;
  price: ModelPrice;
}): number {
  return costMicros({
    inputTokens: options.inputTokenBound,
    outputTokens: options.maxTokens,
    price: options.price,
  });
}

export const microsToUsd = (micros: number): number => micros / 1_000_000;
