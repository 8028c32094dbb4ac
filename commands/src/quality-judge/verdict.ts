import type { EventData } from '@proofpane/core';
import type { JudgeOutcome } from './judge.js';
import { disagreementOf, type JudgeVerdict } from './rubric.js';

export type L4Verdict = Omit<
  EventData<'cp.quality.l4.judged'>,
  'judgeId' | 'skill' | 'source' | 'outputSha256' | 'retrievedChunkIds'
>;
export type TriageReason = EventData<'cp.quality.triage.opened'>['reasons'][number];

/**
 * One verdict from one or two judges. The score is the lower of the judges' scores (each a judge's
 * weakest dimension); it passes when it reaches the threshold. With two verdicts, a difference on one
 * dimension beyond the margin is a disagreement, whatever the scores. A failed judge is left out; when
 * every judge failed there is no score and no pass verdict.
 */
export function combineVerdicts(options: {
  judged: readonly { outcome: JudgeOutcome; verdict: JudgeVerdict | null }[];
  threshold: number;
  margin: number;
}): L4Verdict {
  const { threshold, margin } = options;
  const scores = options.judged.flatMap((j) => (j.outcome.score === null ? [] : [j.outcome.score]));
  const verdicts = options.judged.flatMap((j) => (j.verdict ? [j.verdict] : []));
  const score = scores.length ? Math.min(...scores) : null;
  return {
    judges: options.judged.map((j) => j.outcome),
    score,
    threshold,
    passed: score === null ? null : score >= threshold,
    disagreement: verdicts.length === 2 ? disagreementOf(verdicts[0]!, verdicts[1]!) : null,
    margin,
    costMicros: options.judged.reduce((n, j) => n + j.outcome.costMicros, 0),
  };
}

/** Why a verdict sends its run to triage; none when it passed and the judges agreed. */
export function verdictTriageReasons(verdict: L4Verdict): TriageReason[] {
  const reasons: TriageReason[] = [];
  if (verdict.passed === false) reasons.push('l4_below_threshold');
  if (verdict.disagreement !== null && verdict.disagreement > verdict.margin)
    reasons.push('judge_disagreement');
  return reasons;
}
