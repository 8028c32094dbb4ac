/**
 * Multi-agent primitives (docs/multi-agent.md): consensus by vote or by semantic entropy, adversarial
 * review, and the equivalence judge they share with cross-vendor evaluation.
 *
 * `judgeEquivalence({ a, b, question, judge, call, runId?, signal? })` →
 * `{ equivalent, aEntailsB, bEntailsA, judgeCalls, costMicros }`; `call` is a `GovernedCall`
 * (`gatewayCall({ gateway, org, actor })` builds one from the gateway).
 */
export { type Equivalence, type EquivalenceInput, judgeEquivalence } from './equivalence-judge.js';
export {
  type GovernedCall,
  gatewayCall,
  type ModelCallInput,
  type ModelCallOutput,
  type ModelRef,
} from './model-call.js';
export { normaliseAnswer } from './normalise.js';
