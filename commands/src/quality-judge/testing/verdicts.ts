/** A judge's verdict as a vendor would answer it, for scripting fake vendors in specs and the bench. */
export function verdictText(options: {
  scores: [number, number, number, number];
  unsupportedClaims?: string[];
}): string {
  const [correctness, completeness, grounding, policyAdherence] = options.scores;
  const d = (score: number, why: string) => ({ score, justification: why });
  return JSON.stringify({
    correctness: d(correctness, 'Consistent with the input.'),
    completeness: d(completeness, 'Covers what the task asks.'),
    grounding: d(grounding, 'Claims checked against the input and excerpts.'),
    policyAdherence: d(policyAdherence, 'Stays within the task.'),
    unsupportedClaims: options.unsupportedClaims ?? [],
  });
}

/** An answer a judge might give that the rubric refuses: a score out of range and no claims list. */
export const MALFORMED_VERDICT = JSON.stringify({
  correctness: { score: 7, justification: 'Great.' },
  completeness: { score: 4, justification: 'Fine.' },
  grounding: { score: 4, justification: 'Fine.' },
  policyAdherence: { score: 4, justification: 'Fine.' },
});
