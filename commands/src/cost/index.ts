export { ANOMALY_FLOOR_MICROS, type AnomalyCheck, checkCostAnomaly } from './anomaly.js';
export {
  costMicros,
  DOCUMENT_TOKEN_BOUND,
  IMAGE_TOKEN_BOUND,
  inputRateBound,
  inputTokenBound,
  mediaTokenBound,
  microsToUsd,
  worstCaseMicros,
} from './cost.js';
export { forecastMonthEnd, type MonthForecast } from './forecast.js';
export { LITELLM_PRICES_URL, parseLiteLlmPrices } from './litellm.js';
export {
  BUNDLED_PRICES,
  type ModelPrice,
  type PriceTable,
  priceFor,
  type ResolvedPrice,
  usdPerMTokToMicros,
  withCacheRates,
} from './price-table.js';
export {
  createPriceRefresher,
  type PriceRefresher,
  type PriceRefresherOptions,
  type RefreshOutcome,
} from './refresher.js';
