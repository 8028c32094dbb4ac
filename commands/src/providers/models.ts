import { createAnthropic } from '@ai-sdk/anthropic';
import { createDeepSeek } from '@ai-sdk/deepseek';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { vendorFetch as fetch } from './transport.js';
import type { ProviderCredentials, ProviderId } from './types.js';

type VendorId = Exclude<ProviderId, 'demo'>;
type Factory = (credentials: ProviderCredentials) => (model: string) => LanguageModelV3;

// OpenAI goes through Chat Completions (not the Responses API) so that every OpenAI-shaped server behaves alike.
const FACTORIES: Record<VendorId, Factory> = {
  openai: (c) => {
    const p = createOpenAI({ fetch, apiKey: c.apiKey, ...(c.baseURL ? { baseURL: c.baseURL } : {}) });
    return (model) => p.chat(model);
  },
  anthropic: (c) => {
    const p = createAnthropic({ fetch, apiKey: c.apiKey, ...(c.baseURL ? { baseURL: c.baseURL } : {}) });
    return (model) => p(model);
  },
  gemini: (c) => {
    const p = createGoogleGenerativeAI({
      fetch,
      apiKey: c.apiKey,
      ...(c.baseURL ? { baseURL: c.baseURL } : {}),
    });
    return (model) => p(model);
  },
  deepseek: (c) => {
    const p = createDeepSeek({ fetch, apiKey: c.apiKey, ...(c.baseURL ? { baseURL: c.baseURL } : {}) });
    return (model) => p(model);
  },
  'openai-compatible': (c) => {
    const p = createOpenAICompatible({
      name: 'openai-compatible',
      fetch,
      baseURL: c.baseURL ?? 'http://127.0.0.1:11434/v1',
      ...(c.apiKey ? { apiKey: c.apiKey } : {}),
      includeUsage: true,
      // Sends json_schema response formats as such (vLLM, Ollama, LM Studio take them) rather than json_object.
      supportsStructuredOutputs: true,
    });
    return (model) => p.chatModel(model);
  },
};

/** Caches one SDK provider per (vendor, key, base URL) so per-org keys do not rebuild clients on each call. */
export function createModelFactory(): (options: {
  provider: VendorId;
  model: string;
  credentials: ProviderCredentials;
}) => LanguageModelV3 {
  const cache = new Map<string, (model: string) => LanguageModelV3>();
  return ({ provider, model, credentials }) => {
    const key = `${provider}\u0000${credentials.baseURL ?? ''}\u0000${credentials.apiKey}`;
    let make = cache.get(key);
    if (!make) {
      make = FACTORIES[provider](credentials);
      if (cache.size > 1000) cache.clear();
      cache.set(key, make);
    }
    return make(model);
  };
}
