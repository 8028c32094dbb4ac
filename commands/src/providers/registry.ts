import type { ProviderConfig } from './config.js';
import { demoComplete, demoPause, demoStream } from './demo.js';
import { createEmbeddings, type EmbeddingRequest, type EmbeddingResult } from './embeddings.js';
import { ProviderNotConfiguredError } from './errors.js';
import { createModelFactory } from './models.js';
import { completeChoices, streamChoices } from './multiple-choices.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { sdkComplete, sdkStream } from './sdk-call.js';
import type {
  ChatDelta,
  ChatRequest,
  ChatResult,
  OnAttempt,
  ProviderCredentials,
  ProviderId,
} from './types.js';

export interface CallOptions {
  /** Called after every HTTP attempt (success or failure), before any retry wait. */
  onAttempt?: OnAttempt;
  signal?: AbortSignal;
}

/** One entry point for every vendor: normalised requests in, normalised results and deltas out. */
export interface ProviderRegistry {
  /** Providers usable with platform credentials (`demo` always). */
  available(): ProviderId[];
  complete(request: ChatRequest, options?: CallOptions): Promise<ChatResult>;
  stream(request: ChatRequest, options?: CallOptions): AsyncGenerator<ChatDelta>;
  /** Embeddings (OpenAI, Gemini, OpenAI-compatible, demo), with the same retries and attempt reports. */
  embed(request: EmbeddingRequest, options?: CallOptions): Promise<EmbeddingResult>;
}

export interface ProviderRegistryOptions {
  config: ProviderConfig;
  retry?: Partial<RetryPolicy>;
  /** Default attempt observer, used when a call passes none. */
  onAttempt?: OnAttempt;
  /** How long the demo provider waits before it answers (0: at once). */
  demoLatencyMs?: number;
}

export function createProviderRegistry(options: ProviderRegistryOptions): ProviderRegistry {
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const demoLatencyMs = options.demoLatencyMs ?? 0;
  const modelFor = createModelFactory();
  const embed = createEmbeddings({
    config: options.config,
    retry,
    ...(options.onAttempt ? { onAttempt: options.onAttempt } : {}),
  });

  const context = (request: ChatRequest, call: CallOptions | undefined) => {
    if (request.provider === 'demo') throw new Error('the demo provider has no SDK model');
    const credentials: ProviderCredentials | undefined =
      request.credentials ?? options.config[request.provider];
    if (!credentials) throw new ProviderNotConfiguredError(request.provider);
    const onAttempt = call?.onAttempt ?? options.onAttempt;
    return {
      model: modelFor({ provider: request.provider, model: request.model, credentials }),
      retry,
      ...(onAttempt ? { onAttempt } : {}),
      ...(call?.signal ? { signal: call.signal } : {}),
    };
  };

  const registry: ProviderRegistry = {
    available: () => [...(Object.keys(options.config) as ProviderId[]), 'demo'],
    async complete(request, call) {
      if ((request.n ?? 1) > 1) return completeChoices(request, (single) => registry.complete(single, call));
      if (request.provider === 'demo') {
        await demoPause(demoLatencyMs, call?.signal);
        const result = demoComplete(request);
        (call?.onAttempt ?? options.onAttempt)?.({
          provider: 'demo',
          model: request.model,
          attempt: 1,
          ok: true,
          willRetry: false,
          durationMs: 0,
        });
        return result;
      }
      return sdkComplete(request, context(request, call));
    },
    stream(request, call) {
      if ((request.n ?? 1) > 1) return streamChoices(request, (single) => registry.stream(single, call));
      if (request.provider === 'demo') return pausedDemoStream(request, demoLatencyMs, call?.signal);
      return sdkStream(request, context(request, call));
    },
    embed,
  };
  return registry;
}

async function* pausedDemoStream(request: ChatRequest, ms: number, signal: AbortSignal | undefined) {
  await demoPause(ms, signal);
  yield* demoStream(request);
}
