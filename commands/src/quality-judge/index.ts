/**
 * L4, the LLM judge, and the triage queue (docs/quality.md): a rubric of four dimensions scored 1–5 by
 * one or two judges through the governed call, each judge a run of its own; the verdict recorded on the
 * judged run; flagged runs opened as triage items that a person assigns and resolves; the sampling
 * loop's monthly stop.
 */
export { QualityJudgeError } from './errors.js';
export { type JudgeDeps, type JudgeOutcome, type JudgeRef, runJudge } from './judge.js';
export {
  checkRunPayload,
  type JudgeableRun,
  type JudgeOutputRequest,
  judgeOutput,
  readJudgeableRun,
  recordRunVerdict,
  TRIAGE_OUTPUT_CHARS,
} from './judge-output.js';
export { judgedRunDecider } from './judged-run.js';
export { maskedJudgeText } from './masked.js';
export {
  JUDGE_JSON_SCHEMA,
  type JudgeVerdict,
  judgeMessage,
  judgeVerdictSchema,
  RUBRIC_DIMENSIONS,
  type RubricDimension,
  scoreOf,
} from './rubric.js';
export { recordSamplingCapped, samplingCapDecider } from './sampling-cap.js';
export {
  handleTriageCommand,
  runOfTriageItem,
  type TriageCommand,
  type TriageOpened,
  type TriageResolution,
  triageDecider,
  triageItemId,
  triageSubject,
} from './triage.js';
export { combineVerdicts, type L4Verdict, type TriageReason, verdictTriageReasons } from './verdict.js';
