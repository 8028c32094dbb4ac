import { canonicalJson } from '@proofpane/core';
import { normaliseAnswer } from '../multi-agent/normalise.js';
import { describeProblem, type JsonSchema, validateAgainst } from '../skills/json-schema.js';
import { parseAnswer } from '../skills/prompt.js';
import { parseDecisionPath, valueAt } from './paths.js';
import type { CrossVendorCase, Severity } from './suite.js';

/** An answer read against its case: the parsed value (structured cases), validity and what failed. */
export interface ReadAnswer {
  value: unknown;
  valid: boolean;
  problems: string[];
}

const isStructured = (c: CrossVendorCase) =>
  c.outputSchema !== undefined || (c.decisionFields?.length ?? 0) > 0 || !Array.isArray(c.input);

/**
 * Reads a text answer: a case with an output schema or decision fields wants JSON (fenced or bare),
 * checked with ajv as skills check theirs; a free-text case is valid as it is.
 */
export function readAnswer(c: CrossVendorCase, answer: string | unknown): ReadAnswer {
  if (typeof answer !== 'string') return checkValue(c, answer);
  if (!isStructured(c)) return { value: answer, valid: true, problems: [] };
  const parsed = parseAnswer(answer);
  if (!parsed.ok) return { value: undefined, valid: false, problems: [describeProblem(parsed.problem)] };
  return checkValue(c, parsed.value);
}

function checkValue(c: CrossVendorCase, value: unknown): ReadAnswer {
  if (c.outputSchema === undefined) return { value, valid: true, problems: [] };
  const problems = validateAgainst(c.outputSchema as JsonSchema, value).map(describeProblem);
  return { value, valid: problems.length === 0, problems };
}

/** The values at a case's decision fields, by path. */
export function fieldValues(c: CrossVendorCase, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const path of c.decisionFields ?? []) out[path] = valueAt(value, parseDecisionPath(path));
  return out;
}

const same = (a: unknown, b: unknown) =>
  a === undefined || b === undefined ? a === b : canonicalJson(a) === canonicalJson(b);

/** The decision fields on which two answers differ, with both values (undefined: nothing there). */
export function decisionDiffs(
  c: CrossVendorCase,
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): { path: string; a: unknown; b: unknown }[] {
  return (c.decisionFields ?? [])
    .filter((path) => !same(a[path], b[path]))
    .map((path) => ({ path, a: a[path], b: b[path] }));
}

/** The form two answers are compared in: canonical JSON for structured ones, normalised text otherwise. */
export function comparableText(read: ReadAnswer, text: string): string {
  if (typeof read.value === 'string' || read.value === undefined) return normaliseAnswer(text);
  return canonicalJson(read.value);
}

/** What the decider needs to know of each side of a pair. */
export interface PairSide {
  status: 'answered' | 'failed';
  valid: boolean;
}

export type PairReason =
  | 'decision_field'
  | 'schema'
  | 'provider_failed'
  | 'judge_different'
  | 'judge_failed'
  | 'judge_equivalent'
  | 'identical'
  | 'text_unjudged';

export type PairClass = { severity: Severity; reason: PairReason } | { judge: true };

/**
 * The severity rules (decision 0024): a failed provider, an answer failing its schema or a decision field
 * that differs is critical, and the judge is never asked; identical answers are info; otherwise the judge
 * decides (warning when the meanings differ or it cannot tell, info when equivalent), and with no judge
 * configured a textual difference is info.
 */
export function classifyPair(options: {
  a: PairSide;
  b: PairSide;
  diffs: number;
  textDiffers: boolean;
  judgeConfigured: boolean;
}): PairClass {
  const { a, b } = options;
  if (a.status === 'failed' || b.status === 'failed')
    return { severity: 'critical', reason: 'provider_failed' };
  if (!a.valid || !b.valid) return { severity: 'critical', reason: 'schema' };
  if (options.diffs > 0) return { severity: 'critical', reason: 'decision_field' };
  if (!options.textDiffers) return { severity: 'info', reason: 'identical' };
  if (!options.judgeConfigured) return { severity: 'info', reason: 'text_unjudged' };
  return { judge: true };
}

export function judgedClass(verdict: 'equivalent' | 'different' | 'failed'): {
  severity: Severity;
  reason: PairReason;
} {
  if (verdict === 'equivalent') return { severity: 'info', reason: 'judge_equivalent' };
  return { severity: 'warning', reason: verdict === 'different' ? 'judge_different' : 'judge_failed' };
}
