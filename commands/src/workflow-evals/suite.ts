import type { Assertion } from '../skills/assertions.js';

/** An assertion on one node's output: the skills' assertion kinds, with `path` a JSON Pointer into it. */
export type NodeAssertion = Assertion & { node: string };

/** One case of a workflow's eval suite: an input, what the run must produce, and how. */
export interface EvalCase {
  name: string;
  input: unknown;
  assertions?: readonly NodeAssertion[];
  /** The nodes the run must complete (the branches it must take), in any order; the trigger excluded. */
  expectedPath?: readonly string[];
  /** The most steps (attempts started) the run may take. */
  maxSteps?: number;
}

export interface EvalCheck {
  kind: 'assertion' | 'path' | 'steps' | 'status';
  node?: string;
  type?: string;
  passed: boolean;
  message?: string;
}

export interface CaseResult {
  name: string;
  runId: string;
  status: string;
  passed: boolean;
  checks: EvalCheck[];
}
