import bundledJson from './price-table.json' with { type: 'json' };

/**
 * Integer micro-dollars per one million tokens (1 USD/1M tokens = 1 micro-dollar per token). Prompt-cache
 * rates are listed for the models whose vendor bills them apart (Anthropic's writes at 1.25× input for five
 * minutes and 2× for an hour, reads at 0.1×); cached tokens of a model without them cost plain input.
 */
export interface ModelPrice {
  inputMicrosPerMTok: number;
  outputMicrosPerMTok: number;
  cacheWrite5mMicrosPerMTok?: number;
  cacheWrite1hMicrosPerMTok?: number;
  cacheReadMicrosPerMTok?: number;
}

/** A price entry of the bundled table (USD per million tokens). */
interface JsonPrice {
  input: number;
  output: number;
  cacheWrite5m?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
}

/** A versioned price table keyed by `provider/model`; the version goes on every call event. */
export interface PriceTable {
  version: string;
  source: 'bundled' | 'litellm';
  models: Readonly<Record<string, ModelPrice>>;
}

export interface ResolvedPrice extends ModelPrice {
  /** The table entry used, e.g. `anthropic/claude-sonnet-4` for `claude-sonnet-4-20250514`. */
  key: string;
  version: string;
}

export const usdPerMTokToMicros = (usd: number): number => Math.round(usd * 1_000_000);

/** A price with the cache rates that are listed (an absent rate stays absent). */
export function withCacheRates(
  price: ModelPrice,
  rates: { write5m?: number | undefined; write1h?: number | undefined; read?: number | undefined },
): ModelPrice {
  return {
    ...price,
    ...(rates.write5m !== undefined ? { cacheWrite5mMicrosPerMTok: rates.write5m } : {}),
    ...(rates.write1h !== undefined ? { cacheWrite1hMicrosPerMTok: rates.write1h } : {}),
    ...(rates.read !== undefined ? { cacheReadMicrosPerMTok: rates.read } : {}),
  };
}

function fromJson(json: { version: string; models: Record<string, JsonPrice> }): PriceTable {
  const models: Record<string, ModelPrice> = {};
  const rate = (usd: number | undefined) => (usd === undefined ? undefined : usdPerMTokToMicros(usd));
  for (const [key, p] of Object.entries(json.models)) {
    models[key] = withCacheRates(
      { inputMicrosPerMTok: usdPerMTokToMicros(p.input), outputMicrosPerMTok: usdPerMTokToMicros(p.output) },
      { write5m: rate(p.cacheWrite5m), write1h: rate(p.cacheWrite1h), read: rate(p.cacheRead) },
    );
  }
  return { version: json.version, source: 'bundled', models };
}

/** The snapshot shipped with the code: always available, used until (and unless) a refresh succeeds. */
export const BUNDLED_PRICES: PriceTable = fromJson(bundledJson);

// Dated and tagged variants bill like their base model: gpt-4o-2024-08-06, claude-sonnet-4-20250514, -latest, -001.
const SUFFIX = /(?:-\d{4}-\d{2}-\d{2}|-\d{8}|-latest|-preview(?:-\d{2}-\d{2})?|-\d{3}|-exp(?:-\d{4})?)$/;

/**
 * The price of a model, or null when the table does not know it (an unpriced model: the budget gate
 * decides what to do). Exact key first, then the model without its date or tag suffix.
 */
export function priceFor(options: {
  provider: string;
  model: string;
  table?: PriceTable;
}): ResolvedPrice | null {
  const table = options.table ?? BUNDLED_PRICES;
  const model = options.model.replace(/^models\//, '');
  let candidate = model;
  for (let i = 0; i < 3; i++) {
    const key = `${options.provider}/${candidate}`;
    const price = table.models[key];
    if (price) return { ...price, key, version: table.version };
    const stripped = candidate.replace(SUFFIX, '');
    if (stripped === candidate) break;
    candidate = stripped;
  }
  return null;
}
