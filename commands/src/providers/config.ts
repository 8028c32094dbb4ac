import type { ProviderCredentials, ProviderId } from './types.js';

/** Platform credentials per provider; a provider without an entry is unavailable unless an org brings a key. */
export type ProviderConfig = Partial<Record<Exclude<ProviderId, 'demo'>, ProviderCredentials>>;

const withVersion = (url: string | undefined, version: string) => {
  if (!url) return undefined;
  const trimmed = url.replace(/\/+$/, '');
  return /\/v\d[\w]*$/.test(trimmed) ? trimmed : `${trimmed}/${version}`;
};

/**
 * Reads the usual variables. Base URLs follow each vendor's own SDK: OPENAI_BASE_URL includes `/v1`,
 * ANTHROPIC_BASE_URL and GEMINI_BASE_URL are hosts (the API version is appended when missing),
 * DEEPSEEK_BASE_URL and OPENAI_COMPATIBLE_BASE_URL are used as given.
 */
export function providerConfigFromEnv(env: Record<string, string | undefined> = process.env): ProviderConfig {
  const config: ProviderConfig = {};
  const set = (id: keyof ProviderConfig, apiKey: string | undefined, baseURL: string | undefined) => {
    if (!apiKey && !baseURL) return;
    config[id] = { apiKey: apiKey ?? '', ...(baseURL ? { baseURL } : {}) };
  };
  if (env.OPENAI_API_KEY) set('openai', env.OPENAI_API_KEY, env.OPENAI_BASE_URL);
  if (env.ANTHROPIC_API_KEY)
    set('anthropic', env.ANTHROPIC_API_KEY, withVersion(env.ANTHROPIC_BASE_URL, 'v1'));
  if (env.GEMINI_API_KEY) set('gemini', env.GEMINI_API_KEY, withVersion(env.GEMINI_BASE_URL, 'v1beta'));
  if (env.DEEPSEEK_API_KEY) set('deepseek', env.DEEPSEEK_API_KEY, env.DEEPSEEK_BASE_URL);
  // Local servers (Ollama, vLLM) often need no key, so the base URL alone enables this one.
  if (env.OPENAI_COMPATIBLE_BASE_URL)
    set('openai-compatible', env.OPENAI_COMPATIBLE_API_KEY, env.OPENAI_COMPATIBLE_BASE_URL);
  return config;
}
