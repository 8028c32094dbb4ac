/**
 * Parallel Universe (docs/parallel-universe.md): five fetchers of public sources with conditional requests
 * and rate limits, the item decider (discovered once, triaged once, promoted only after approval), the
 * governed triage call and the org's settings.
 */

export {
  PU_ITEM_FACT_TYPES,
  PU_SETTINGS_SUBJECT,
  type PuItemFact,
  puBudgetSubject,
  puItemId,
  puItemSubject,
  puSourceSubject,
} from './facts.js';
export { type FetchOutcome, fetchSource, retryAtOf, type SourceCursor } from './fetch-source.js';
export {
  type PuItemCommand,
  PuItemError,
  type PuItemState,
  type PuItemStatus,
  puItemDecider,
} from './item.js';
export { MalformedBody, type PuFetchedItem, parseSource } from './parse.js';
export { recordBudgetExhausted, recordSourceFetch } from './records.js';
export { loadPuSettings, PU_DEFAULTS, type PuSettings, updatePuSettings } from './settings.js';
export {
  DEFAULT_BASE_URLS,
  DEFAULT_QUERIES,
  PU_SOURCES,
  type PuBaseUrls,
  type PuQueries,
  type PuSource,
  sourceUrl,
} from './sources.js';
export { TRIAGE_JSON_SCHEMA, TRIAGE_SYSTEM, type TriageOutcome, triageItem } from './triage.js';
