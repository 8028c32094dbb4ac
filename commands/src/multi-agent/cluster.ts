import type { AgentAnswer, AnswerCluster } from './answers.js';
import { byWeight } from './answers.js';
import { judgeEquivalence } from './equivalence-judge.js';
import type { GovernedCall, ModelRef } from './model-call.js';

export interface Clustering {
  clusters: AnswerCluster[];
  /** Equivalence questions asked: at most N × (clusters). */
  comparisons: number;
  judgeCalls: number;
  costMicros: number;
}

/**
 * Groups answers by meaning: each answer is compared with one representative per cluster found so far
 * (its first member), joining the first it is equivalent to or opening a new one. That is at most
 * N × k comparisons for k clusters, never all N² pairs; equivalence is taken as transitive.
 */
export async function clusterByMeaning(options: {
  answers: readonly AgentAnswer[];
  question: string;
  judge: ModelRef;
  call: GovernedCall;
  runId?: string;
  signal?: AbortSignal;
}): Promise<Clustering> {
  const clusters: AnswerCluster[] = [];
  let comparisons = 0;
  let judgeCalls = 0;
  let costMicros = 0;
  for (const answer of options.answers) {
    let home: AnswerCluster | undefined;
    for (const cluster of clusters) {
      comparisons++;
      const verdict = await judgeEquivalence({
        a: cluster.representative.text,
        b: answer.text,
        question: options.question,
        judge: options.judge,
        call: options.call,
        ...(options.runId ? { runId: options.runId } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      judgeCalls += verdict.judgeCalls;
      costMicros += verdict.costMicros;
      if (verdict.equivalent) {
        home = cluster;
        break;
      }
    }
    if (home) home.members.push(answer.agentIndex);
    else clusters.push({ members: [answer.agentIndex], representative: answer });
  }
  return { clusters: clusters.sort(byWeight), comparisons, judgeCalls, costMicros };
}
