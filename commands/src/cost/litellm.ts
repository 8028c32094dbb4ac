import { createHash } from 'node:crypto';
import { type ModelPrice, type PriceTable, withCacheRates } from './price-table.js';

/** LiteLLM's public price list; the refresher's default source. */
export const LITELLM_PRICES_URL =
  'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json';

// LiteLLM provider names → ours. Vertex and Bedrock entries are other billing channels, not our providers.
const PROVIDERS: Record<string, string> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'gemini',
  deepseek: 'deepseek',
};

interface LiteLlmEntry {
  litellm_provider?: unknown;
  input_cost_per_token?: unknown;
  output_cost_per_token?: unknown;
  cache_creation_input_token_cost?: unknown;
  cache_creation_input_token_cost_above_1hr?: unknown;
  cache_read_input_token_cost?: unknown;
  mode?: unknown;
}

const perTokenToMicrosPerMTok = (usd: number) => Math.round(usd * 1e12);
const optionalRate = (usd: unknown) =>
  typeof usd === 'number' && Number.isFinite(usd) && usd >= 0 ? perTokenToMicrosPerMTok(usd) : undefined;

/**
 * Converts LiteLLM's JSON (USD per token, keys optionally prefixed `gemini/`, prompt-cache rates where
 * listed) into a price table.
 * Throws when the document is not an object or yields no usable chat model, so a bad download is never used.
 */
export function parseLiteLlmPrices(body: string): PriceTable {
  const json: unknown = JSON.parse(body);
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new Error('price list is not an object');
  const models: Record<string, ModelPrice> = {};
  for (const [rawKey, value] of Object.entries(json as Record<string, LiteLlmEntry>)) {
    if (typeof value !== 'object' || value === null) continue;
    const provider = PROVIDERS[String(value.litellm_provider)];
    const input = value.input_cost_per_token;
    const output = value.output_cost_per_token;
    if (!provider || typeof input !== 'number' || typeof output !== 'number') continue;
    if (value.mode !== undefined && value.mode !== 'chat' && value.mode !== 'responses') continue;
    const model = rawKey.includes('/') ? rawKey.slice(rawKey.indexOf('/') + 1) : rawKey;
    models[`${provider}/${model}`] = withCacheRates(
      {
        inputMicrosPerMTok: perTokenToMicrosPerMTok(input),
        outputMicrosPerMTok: perTokenToMicrosPerMTok(output),
      },
      {
        write5m: optionalRate(value.cache_creation_input_token_cost),
        write1h: optionalRate(value.cache_creation_input_token_cost_above_1hr),
        read: optionalRate(value.cache_read_input_token_cost),
      },
    );
  }
  if (Object.keys(models).length === 0) throw new Error('price list has no usable chat model');
  const digest = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { version: `litellm-${digest}`, source: 'litellm', models };
}
