import type { CompiledPolicy } from './compile.js';
import type { Violation } from './decision.js';

/**
 * Characters of one request's text (all of its texts together) the blocked patterns are run over.
 * It equals the default body limit (PROOFPANE_BODY_LIMIT, 1 MiB), so with the defaults it never
 * bites; an operator who raises the body limit gets requests refused rather than scanned in part,
 * because a pattern checked against only the first part of a text would let the rest through.
 */
export const BLOCKED_PATTERN_SCAN_CHARS = 1_048_576;

/**
 * The `policy_blocked` violations of a request's texts: one per blocked pattern that matches any of
 * them, or a single one when the text is too long to be checked (the gate fails closed).
 */
export function blockedPatternViolations(policy: CompiledPolicy, texts: readonly string[]): Violation[] {
  if (policy.blockedPatterns.length === 0) return [];
  const length = texts.reduce((sum, t) => sum + t.length, 0);
  if (length > BLOCKED_PATTERN_SCAN_CHARS) {
    return [
      {
        code: 'policy_blocked',
        rule: 'blockedPatterns',
        reason: `the text (${length} characters) is longer than the ${BLOCKED_PATTERN_SCAN_CHARS} characters blocked patterns are checked against`,
      },
    ];
  }
  const violations: Violation[] = [];
  for (const { name, regex } of policy.blockedPatterns) {
    if (texts.some((t) => regex.test(t))) {
      violations.push({
        code: 'policy_blocked',
        rule: `blockedPatterns.${name}`,
        reason: `blocked pattern "${name}" matched`,
      });
    }
  }
  return violations;
}
