export {
  type CorpusEvaluation,
  type CorpusLine,
  evaluateCorpus,
  loadCorpus,
  type Score,
} from './corpus/evaluate.js';
export { type MaskOptions, type MaskResult, mask, PLACEHOLDER, restore } from './mask.js';
export { DEFAULT_PHONE_COUNTRIES } from './recogniser-phone.js';
export { scan } from './scan.js';
export { createStreamRestorer, type StreamRestorer } from './stream-restore.js';
export { type DlpSummary, mergeSummaries, summarize } from './summary.js';
export { type DlpVault, ENTITY_TYPES, type EntityType, type Finding, SECRET_ENTITY_TYPES } from './types.js';
