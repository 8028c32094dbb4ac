import { hash } from 'node:crypto';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { EmbeddingModelV3, SharedV3ProviderOptions } from '@ai-sdk/provider';
import { DEMO_EMBEDDING_MODEL, demoEmbedding } from '../documents/demo-embedder.js';
import type { ProviderConfig } from './config.js';
import { ProviderError, ProviderNotConfiguredError } from './errors.js';
import { backoffMs, classifyError, type RetryPolicy, sleep } from './retry.js';
import { vendorFetch as fetch } from './transport.js';
import type { OnAttempt, ProviderCredentials, ProviderId } from './types.js';

/** The providers with an embeddings API; Anthropic and DeepSeek have none. */
export const EMBEDDING_PROVIDERS = ['openai', 'gemini', 'openai-compatible', 'demo'] as const;
export type EmbeddingProviderId = (typeof EMBEDDING_PROVIDERS)[number];

export const offersEmbeddings = (provider: ProviderId): provider is EmbeddingProviderId =>
  (EMBEDDING_PROVIDERS as readonly string[]).includes(provider);

/** A vendor-neutral embeddings request: one vector per value, in order. */
export interface EmbeddingRequest {
  provider: EmbeddingProviderId;
  model: string;
  values: string[];
  /** Output dimensions, for models that can shorten their vectors. */
  dimensions?: number;
  /** The caller's end-user id; OpenAI and OpenAI-compatible servers take it (the gateway refuses it for Gemini). */
  user?: string;
  credentials?: ProviderCredentials;
}

export interface EmbeddingResult {
  provider: EmbeddingProviderId;
  model: string;
  embeddings: number[][];
  /**
   * Input tokens: the vendor's figure, or (Gemini reports none) one token per four UTF-8 bytes of each
   * value, rounded up; `reported` says which.
   */
  usage: { inputTokens: number; reported: boolean };
  attempts: number;
}

/** Tokens for a provider that reports none: the same rule of thumb the demo provider uses. */
export const estimatedTokens = (values: readonly string[]) =>
  values.reduce((sum, v) => sum + Math.max(1, Math.ceil(Buffer.byteLength(v) / 4)), 0);

const DEMO_DIMENSIONS = 16;

/**
 * The demo provider's embedding: a unit vector derived from the SHA-256 of the value, so equal values
 * get equal vectors and the whole route runs offline.
 */
export function demoEmbed(request: Omit<EmbeddingRequest, 'provider'>): EmbeddingResult {
  // The documents' demo model: hashed n-grams, so that offline search finds shared words.
  if (request.model === DEMO_EMBEDDING_MODEL)
    return {
      provider: 'demo',
      model: request.model,
      embeddings: request.values.map(demoEmbedding),
      usage: { inputTokens: estimatedTokens(request.values), reported: true },
      attempts: 1,
    };
  const dimensions = request.dimensions ?? DEMO_DIMENSIONS;
  const embeddings = request.values.map((value) => {
    const raw: number[] = [];
    for (let block = 0; raw.length < dimensions; block++) {
      const digest = hash('sha256', `${block}\u0000${value}`, 'buffer');
      for (let i = 0; i + 1 < digest.length && raw.length < dimensions; i += 2)
        raw.push(digest.readUInt16BE(i) / 32_768 - 1);
    }
    const norm = Math.hypot(...raw) || 1;
    return raw.map((x) => Math.round((x / norm) * 1e6) / 1e6);
  });
  return {
    provider: 'demo',
    model: request.model,
    embeddings,
    usage: { inputTokens: estimatedTokens(request.values), reported: true },
    attempts: 1,
  };
}

type VendorEmbeddingId = Exclude<EmbeddingProviderId, 'demo'>;

const FACTORIES: Record<VendorEmbeddingId, (c: ProviderCredentials) => (model: string) => EmbeddingModelV3> =
  {
    openai: (c) => {
      const p = createOpenAI({ fetch, apiKey: c.apiKey, ...(c.baseURL ? { baseURL: c.baseURL } : {}) });
      return (model) => p.embedding(model);
    },
    gemini: (c) => {
      const p = createGoogleGenerativeAI({
        fetch,
        apiKey: c.apiKey,
        ...(c.baseURL ? { baseURL: c.baseURL } : {}),
      });
      return (model) => p.embedding(model);
    },
    'openai-compatible': (c) => {
      const p = createOpenAICompatible({
        name: 'openai-compatible',
        fetch,
        baseURL: c.baseURL ?? 'http://127.0.0.1:11434/v1',
        ...(c.apiKey ? { apiKey: c.apiKey } : {}),
      });
      return (model) => p.embeddingModel(model);
    },
  };

const providerOptions = (
  provider: VendorEmbeddingId,
  request: Pick<EmbeddingRequest, 'dimensions' | 'user'>,
): SharedV3ProviderOptions | undefined => {
  const { dimensions, user } = request;
  if (provider === 'gemini')
    return dimensions === undefined ? undefined : { google: { outputDimensionality: dimensions } };
  const options = {
    ...(dimensions !== undefined ? { dimensions } : {}),
    ...(user !== undefined ? { user } : {}),
  };
  if (Object.keys(options).length === 0) return undefined;
  return provider === 'openai' ? { openai: options } : { openaiCompatible: options };
};

export interface EmbeddingCallOptions {
  onAttempt?: OnAttempt;
  signal?: AbortSignal;
}

/**
 * Embeddings through the AI SDK's embedding models (`doEmbed`, one request per call: the gateway
 * governs exactly what the caller sent), with the same retry policy and attempt reports as chat calls.
 */
export function createEmbeddings(options: {
  config: ProviderConfig;
  retry: RetryPolicy;
  onAttempt?: OnAttempt;
}) {
  const cache = new Map<string, (model: string) => EmbeddingModelV3>();
  const modelFor = (provider: VendorEmbeddingId, model: string, credentials: ProviderCredentials) => {
    const key = `${provider}\u0000${credentials.baseURL ?? ''}\u0000${credentials.apiKey}`;
    let make = cache.get(key);
    if (!make) {
      make = FACTORIES[provider](credentials);
      if (cache.size > 1000) cache.clear();
      cache.set(key, make);
    }
    return make(model);
  };

  return async function embed(
    request: EmbeddingRequest,
    call?: EmbeddingCallOptions,
  ): Promise<EmbeddingResult> {
    const onAttempt = call?.onAttempt ?? options.onAttempt;
    const { provider } = request;
    if (provider === 'demo') {
      onAttempt?.({ provider, model: request.model, attempt: 1, ok: true, willRetry: false, durationMs: 0 });
      return demoEmbed(request);
    }
    const credentials = request.credentials ?? options.config[provider];
    if (!credentials) throw new ProviderNotConfiguredError(provider);
    const model = modelFor(provider, request.model, credentials);
    const extra = providerOptions(provider, request);
    const { retry } = options;
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      const timeout = AbortSignal.timeout(retry.timeoutMs);
      try {
        const result = await model.doEmbed({
          values: request.values,
          abortSignal: call?.signal ? AbortSignal.any([call.signal, timeout]) : timeout,
          ...(extra ? { providerOptions: extra } : {}),
        });
        onAttempt?.({
          provider,
          model: request.model,
          attempt,
          ok: true,
          willRetry: false,
          durationMs: performance.now() - started,
        });
        const tokens = result.usage?.tokens;
        return {
          provider,
          model: request.model,
          embeddings: result.embeddings,
          usage:
            tokens === undefined
              ? { inputTokens: estimatedTokens(request.values), reported: false }
              : { inputTokens: tokens, reported: true },
          attempts: attempt,
        };
      } catch (error) {
        const info = classifyError(error);
        const willRetry = info.retryable && attempt < retry.maxAttempts && !call?.signal?.aborted;
        const delayMs = willRetry
          ? backoffMs({
              policy: retry,
              attempt,
              ...(info.retryAfterMs === undefined ? {} : { retryAfterMs: info.retryAfterMs }),
            })
          : undefined;
        onAttempt?.({
          provider,
          model: request.model,
          attempt,
          ok: false,
          ...(info.status === undefined ? {} : { status: info.status }),
          errorKind: info.kind,
          willRetry,
          ...(delayMs === undefined ? {} : { delayMs }),
          durationMs: performance.now() - started,
        });
        if (delayMs === undefined)
          throw new ProviderError(provider, attempt, info.status, info.kind, { cause: error });
        await sleep(delayMs);
      }
    }
  };
}
