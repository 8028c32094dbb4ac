import type { ProviderCredentials, ProviderId } from './types.js';

/** Platform credentials per provider; a provider without an entry is unavailable unless an org brings a key. */
export type ProviderConfig = Partial<Record<Exclude<ProviderId, 'demo'>, ProviderCredentials>>;

const withVersion = (url: string | undefined, version: string) => {
  if (!url) return undefined;
  const trimmed = url.replace(/\/+$/, '');
  return /\/v\d[\w]*$/.test(trimmed) ? trimmed : `${trimmed}/${version}`;
};

/** Where each vendor is reached; applies to platform keys and to an org's own key alike. */
export type ProviderBaseURLs = Partial<Record<Exclude<ProviderId, 'demo'>, string>>;

/**
 * Base URLs follow each vendor's own SDK: OPENAI_BASE_URL includes `/v1`, ANTHROPIC_BASE_URL and
 * GEMINI_BASE_URL are hosts (the API version is appended when missing), DEEPSEEK_BASE_URL and
 * OPENAI_COMPATIBLE_BASE_URL are used as given.
 */
export function providerBaseURLsFromEnv(
  env: Record<string, string | undefined> = process.env,
): ProviderBaseURLs {
  const urls: ProviderBaseURLs = {
    openai: env.OPENAI_BASE_URL || undefined,
    anthropic: withVersion(env.ANTHROPIC_BASE_URL, 'v1'),
    gemini: withVersion(env.GEMINI_BASE_URL, 'v1beta'),
    deepseek: env.DEEPSEEK_BASE_URL || undefined,
    'openai-compatible': env.OPENAI_COMPATIBLE_BASE_URL || undefined,
  };
  return Object.fromEntries(Object.entries(urls).filter(([, url]) => url)) as ProviderBaseURLs;
}

/** Reads the usual variables: a vendor is a platform provider when its key is set (a local OpenAI-compatible server by its URL alone). */
export function providerConfigFromEnv(env: Record<string, string | undefined> = process.env): ProviderConfig {
  const config: ProviderConfig = {};
  const urls = providerBaseURLsFromEnv(env);
  const set = (id: keyof ProviderConfig, apiKey: string | undefined) => {
    const baseURL = urls[id];
    config[id] = { apiKey: apiKey ?? '', ...(baseURL ? { baseURL } : {}) };
  };
  if (env.OPENAI_API_KEY) set('openai', env.OPENAI_API_KEY);
  if (env.ANTHROPIC_API_KEY) set('anthropic', env.ANTHROPIC_API_KEY);
  if (env.GEMINI_API_KEY) set('gemini', env.GEMINI_API_KEY);
  if (env.DEEPSEEK_API_KEY) set('deepseek', env.DEEPSEEK_API_KEY);
  // Local servers (Ollama, vLLM) often need no key, so the base URL alone enables this one.
  if (urls['openai-compatible']) set('openai-compatible', env.OPENAI_COMPATIBLE_API_KEY);
  return config;
}
