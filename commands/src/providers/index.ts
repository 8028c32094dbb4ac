export { ANTHROPIC_BETAS } from './anthropic-betas.js';
export { cacheBreakpoints, longestCacheTtl, MAX_CACHE_BREAKPOINTS } from './cache-control.js';
export {
  type ProviderBaseURLs,
  type ProviderConfig,
  providerBaseURLsFromEnv,
  providerConfigFromEnv,
} from './config.js';
export { demoComplete, demoStream } from './demo.js';
export {
  demoEmbed,
  EMBEDDING_PROVIDERS,
  type EmbeddingProviderId,
  type EmbeddingRequest,
  type EmbeddingResult,
  estimatedTokens,
  offersEmbeddings,
} from './embeddings.js';
export { ProviderError, ProviderNotConfiguredError } from './errors.js';
export { type SanitisedSchema, sanitiseGeminiSchema } from './gemini-schema.js';
export { redactedThinking } from './reasoning.js';
export {
  type CallOptions,
  createProviderRegistry,
  type ProviderRegistry,
  type ProviderRegistryOptions,
} from './registry.js';
export { backoffMs, classifyError, DEFAULT_RETRY, type RetryPolicy } from './retry.js';
export {
  type AnthropicEffort,
  type AppliedContextEdit,
  type AttemptReport,
  type CacheControl,
  type ChatDelta,
  type ChatMessage,
  type ChatRequest,
  type ChatResult,
  type ChoiceResult,
  type ContextEdit,
  type FinishReason,
  type OnAttempt,
  PROVIDER_IDS,
  type ProviderCredentials,
  type ProviderId,
  type ReasoningPart,
  type ThinkingConfig,
  type TokenLogprob,
  type ToolCall,
  type ToolChoice,
  type ToolDefinition,
  type Usage,
} from './types.js';
