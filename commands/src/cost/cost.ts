import type { ModelPrice } from './price-table.js';

const PER_MILLION = 1_000_000;

/**
 * Exact cost of a finished call in integer micro-dollars, rounded up so that spend is never under-counted.
 * `inputTokens` counts every input token; those read from or written to the prompt cache are charged at
 * the price's cache rates when it lists them (a one-hour write without its own rate costs a five-minute
 * one), else at the input rate.
 */
export function costMicros(options: {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number | undefined;
  cacheWriteTokens?: number | undefined;
  cacheWrite1hTokens?: number | undefined;
  price: ModelPrice;
}): number {
  const { inputTokens, outputTokens, price } = options;
  const read = Math.min(options.cacheReadTokens ?? 0, inputTokens);
  const write = Math.min(options.cacheWriteTokens ?? 0, inputTokens - read);
  const hour = Math.min(options.cacheWrite1hTokens ?? 0, write);
  const input = price.inputMicrosPerMTok;
  const write5m = price.cacheWrite5mMicrosPerMTok ?? input;
  const scaled =
    (inputTokens - read - write) * input +
    read * (price.cacheReadMicrosPerMTok ?? input) +
    (write - hour) * write5m +
    hour * (price.cacheWrite1hMicrosPerMTok ?? write5m) +
    outputTokens * price.outputMicrosPerMTok;
  return Math.ceil(scaled / PER_MILLION);
}

/**
 * The dearest rate any input token of a call can be billed at: plain input, a cache read, or a cache write
 * for the longest TTL the request asks for (none: no write is possible).
 */
export function inputRateBound(price: ModelPrice, cacheTtl: '5m' | '1h' | undefined): number {
  const input = price.inputMicrosPerMTok;
  const write5m = price.cacheWrite5mMicrosPerMTok ?? input;
  const writes =
    cacheTtl === '1h' ? [write5m, price.cacheWrite1hMicrosPerMTok ?? write5m] : cacheTtl ? [write5m] : [];
  return Math.max(input, price.cacheReadMicrosPerMTok ?? 0, ...writes);
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
 * Input tokens one image can cost, by the vendors' documented formulas at their largest image (the gateway
 * does not decode images, and a URL's image is never seen), rounded up:
 * - OpenAI tile models: 85 + 170 per 512 px tile, at most 8 tiles after scaling (1,445); the `4o-mini`
 *   family bills 2,833 + 5,667 per tile (48,169); patch models cap at 1,536 patches times a model
 *   multiplier of at most 2.46 (3,779), and high-detail modes of newer models bill more, hence 16,000.
 * - Anthropic: width × height / 750 on an image scaled to at most 1,568 px (about 1,600), up to about
 *   4,800 for its high-resolution models.
 * - Gemini: 258 per 768 px tile, or up to 2,240 per image at its highest media resolution.
 * - Any other server (OpenAI-compatible vision models tile without a published cap): 50,000.
 */
export const IMAGE_TOKEN_BOUND: Readonly<Record<string, number>> = {
  openai: 16_000,
  'openai:4o-mini': 48_200,
  anthropic: 5_000,
  gemini: 16_000,
  default: 50_000,
};
/**
 * A document's pages are not known before the vendor reads it (PDF page objects may sit in compressed
 * streams), so a document is bounded by the largest context window a vendor bills, 1M tokens: no vendor
 * bills more input than its model's window.
 */
export const DOCUMENT_TOKEN_BOUND = 1_000_000;

/** The input-token bound of a request's images and documents for one provider and model. */
export function mediaTokenBound(options: {
  provider: string;
  model: string;
  media: readonly { type: 'image' | 'document' }[];
}): number {
  const { provider, model, media } = options;
  const image =
    provider === 'openai' && model.includes('4o-mini')
      ? IMAGE_TOKEN_BOUND['openai:4o-mini']!
      : (IMAGE_TOKEN_BOUND[provider] ?? IMAGE_TOKEN_BOUND.default!);
  let tokens = 0;
  for (const m of media) tokens += m.type === 'image' ? image : DOCUMENT_TOKEN_BOUND;
  return tokens;
}

/**
 * A true upper bound on input tokens, without a tokenizer: every vendor's tokenizer (byte-level BPE or
 * SentencePiece with byte fallback) emits at most one token per UTF-8 byte, so the byte count bounds the
 * text, and the vendors' documented framing is added per message, per request and for tools. Images and
 * documents add `mediaTokens` (mediaTokenBound).
 */
export function inputTokenBound(options: {
  texts: readonly string[];
  tools?: boolean;
  mediaTokens?: number;
}): number {
  let tokens =
    REQUEST_OVERHEAD_TOKENS + (options.tools ? TOOLS_OVERHEAD_TOKENS : 0) + (options.mediaTokens ?? 0);
  for (const text of options.texts) tokens += Buffer.byteLength(text, 'utf8') + PER_MESSAGE_OVERHEAD_TOKENS;
  return tokens;
}

/**
 * What the budget gate reserves before a call: the input bound at the dearest input rate the call can be
 * billed (a cache write costs more than plain input) plus every output token allowed.
 */
export function worstCaseMicros(options: {
  inputTokenBound: number;
  maxTokens: number;
  price: ModelPrice;
  cacheTtl?: '5m' | '1h' | undefined;
}): number {
  const { price } = options;
  return costMicros({
    inputTokens: options.inputTokenBound,
    outputTokens: options.maxTokens,
    price: { ...price, inputMicrosPerMTok: inputRateBound(price, options.cacheTtl) },
  });
}

export const microsToUsd = (micros: number): number => micros / 1_000_000;
