/**
 * L5, drift of skills' quality signals (docs/quality-drift.md): the pure detector (a one-sided
 * two-proportion z-test of a recent window against a baseline), what a run contributes to the pass and
 * hallucination rates, and the monitor decider that alerts once per excursion, recovers and suppresses.
 */
export {
  type Counts,
  DRIFT_DEFAULTS,
  DRIFT_SIGNALS,
  type DriftParameters,
  type DriftSignal,
  type DriftStep,
  evaluate as evaluateDrift,
  scanSeries,
  sum as sumCounts,
  windowsAt,
  zStatistic,
} from './detector.js';
export { QualityDriftError } from './errors.js';
export { handleDriftCommand } from './handlers.js';
export {
  type DriftCommand,
  type DriftFact,
  type DriftWindow,
  driftMonitor,
  driftSubject,
} from './monitor.js';
export { l3Flagged, type RunQuality, runPasses } from './outcome.js';
