/**
 * Multi-agent primitives (docs/multi-agent.md): consensus by vote or by semantic entropy, adversarial
 * review, and the equivalence judge they share with cross-vendor evaluation.
 *
 * `judgeEquivalence({ a, b, question, judge, call, runId?, signal? })` →
 * `{ equivalent, aEntailsB, bEntailsA, judgeCalls, costMicros }`; `call` is a `GovernedCall`
 * (`gatewayCall({ gateway, org, actor })` builds one from the gateway).
 *
 * `runConsensus(deps, request)` → `ConsensusResult`; `runAdversarialReview(deps, request)` →
 * `ReviewResult`; `readMultiAgentRun` folds either run's events into its current view;
 * `settleConsensus` applies a person's decision to an escalated consensus.
 */
export type { AgentAnswer, AnswerCluster } from './answers.js';
export { type Clustering, clusterByMeaning } from './cluster.js';
export { type ConsensusCommand, type ConsensusState, consensusDecider } from './consensus-decide.js';
export type {
  AgentSpec,
  ClusterView,
  ConsensusDeps,
  ConsensusEscalation,
  ConsensusMethod,
  ConsensusRequest,
  ConsensusResult,
} from './consensus-types.js';
export { quorumOf, semanticEntropy } from './entropy.js';
export { type Equivalence, type EquivalenceInput, judgeEquivalence } from './equivalence-judge.js';
export { MultiAgentError } from './errors.js';
export type { ConsensusFact, ReviewFact } from './facts.js';
export { maskedText } from './masked.js';
export {
  type GovernedCall,
  gatewayCall,
  type ModelCallInput,
  type ModelCallOutput,
  type ModelRef,
} from './model-call.js';
export { normaliseAnswer } from './normalise.js';
export { reviewDecider } from './review-decide.js';
export { SEVERITIES as REVIEW_SEVERITIES } from './review-prompts.js';
export { runConsensus } from './run-consensus.js';
export {
  type ReviewRequest,
  type ReviewResult,
  type ReviewRound,
  type RoleModel,
  runAdversarialReview,
} from './run-review.js';
export {
  type ConsensusRunView,
  type MultiAgentRunView,
  type ReviewRunView,
  readMultiAgentRun,
} from './run-view.js';
export {
  type ConsensusSettings,
  DEFAULT_ENTROPY_THRESHOLD,
  readConsensusSettings,
  updateConsensusSettings,
} from './settings.js';
export { pickConsensusAnswer, settleConsensus } from './settle-consensus.js';
export { decisionFields, vote } from './vote.js';
