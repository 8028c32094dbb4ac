export { evaluateCase } from './evaluate.js';
export { runEvalSuite } from './run-suite.js';
export type { CaseResult, EvalCase, EvalCheck, NodeAssertion } from './suite.js';
