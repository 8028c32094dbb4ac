/**
 * Cross-vendor evaluation (docs/cross-vendor-evals.md): a suite of cases asked of several providers
 * through the governed call, every pair of answers compared on decision fields, schema validity and,
 * where neither makes the pair critical, meaning (the multi-agent equivalence judge). Runs are run trees
 * of kind `cross-vendor`: suite → case → provider → judge.
 */
export { type AskDeps, askProvider, type ProviderAnswer } from './ask.js';
export { classifyPair, decisionDiffs, fieldValues, judgedClass, readAnswer } from './compare.js';
export { CrossVendorError, type SuiteProblem } from './errors.js';
export { parseDecisionPath, valueAt } from './paths.js';
export {
  type CrossVendorRunCommand,
  type CrossVendorRunFact,
  type CrossVendorRunState,
  crossVendorRunDecider,
} from './run-decide.js';
export { crossVendorRunLog } from './run-log.js';
export { type CrossVendorRunDeps, type CrossVendorRunSummary, startCrossVendorRun } from './run-suite.js';
export { type ScheduledSuite, SuiteScheduleBook } from './schedule-book.js';
export {
  type CrossVendorCase,
  type CrossVendorSuite,
  caseRunId,
  judgeRunId,
  providerRunId,
  type Severity,
  type SuiteModelRef,
  suiteSubject,
} from './suite.js';
export { suiteProblems } from './suite-check.js';
export { suiteDecider } from './suite-decide.js';
export { createCrossVendorSuite, readCrossVendorSuite } from './suite-handlers.js';
