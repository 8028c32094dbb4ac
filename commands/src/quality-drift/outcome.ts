/**
 * What one skill run contributes to the two signals. The pass verdict is a conjunction of layers, each
 * absent until it ran: a layer that did not run neither passes nor fails the run. L4 is the judge's latest
 * verdict on the run (`commands/src/quality-judge`); a judge that gave none leaves it absent.
 */
export interface RunQuality {
  /** The answer validated against the skill's output schema (the run succeeded). */
  validated: boolean;
  /** L3 on the accepted answer, when it ran: true when it cited no unknown or misattributed id. */
  l3Clean?: boolean | undefined;
  /** L4: the judge's score reached the org's threshold. */
  l4Passed?: boolean | undefined;
}

export const runPasses = (q: RunQuality): boolean =>
  q.validated && q.l3Clean !== false && q.l4Passed !== false;

/** An L3 finding is a hallucination when it names an id the catalogue lacks or one of another framework. */
export const l3Flagged = (finding: { unknown: readonly unknown[]; misattributed: readonly unknown[] }) =>
  finding.unknown.length > 0 || finding.misattributed.length > 0;
