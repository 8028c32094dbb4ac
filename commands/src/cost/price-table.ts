import bundledJson from './price-table.json' with { type: 'json' };

/** Integer micro-dollars per one million tokens (1 USD/1M tokens = 1 micro-dollar per token). */
export interface ModelPrice {
  inputMicrosPerMTok: number;
  outputMicrosPerMTok: number;
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

function fromJson(json: {
  version: string;
  models: Record<string, { input: number; output: number }>;
}): PriceTable {
  const models: Record<string, ModelPrice> = {};
  for (const [key, p] of Object.entries(json.models)) {
    models[key] = {
      inputMicrosPerMTok: usdPerMTokToMicros(p.input),
      outputMicrosPerMTok: usdPerMTokToMicros(p.output),
    };
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
