import type { Fact } from '../kit/fact.js';

/** The events of a consensus run, all on its subject `run/<id>` (docs/runs.md). */
export type ConsensusFact = Fact<
  | 'cp.run.started'
  | 'cp.run.completed'
  | 'cp.multiagent.consensus.requested'
  | 'cp.multiagent.agent.answered'
  | 'cp.multiagent.agent.failed'
  | 'cp.multiagent.consensus.decided'
  | 'cp.multiagent.consensus.picked'
  | 'cp.multiagent.consensus.resolved'
>;

/** The events of an adversarial review run, on its subject `run/<id>`. */
export type ReviewFact = Fact<
  | 'cp.run.started'
  | 'cp.run.completed'
  | 'cp.multiagent.review.requested'
  | 'cp.multiagent.review.drafted'
  | 'cp.multiagent.review.critiqued'
  | 'cp.multiagent.review.revised'
  | 'cp.multiagent.review.finished'
>;

export const runSubject = (runId: string) => `run/${runId}`;
