import type { Actor, EventData, EventStore } from '@proofpane/core';
import { consensusDecider } from './consensus-decide.js';
import { runSubject } from './facts.js';
import { runLog } from './run-log.js';

/**
 * Settles an escalated consensus once its person decided: an approval takes the cluster picked on the
 * run before it (or the largest), a denial or an expiry fails the run. Idempotent: a run already settled,
 * or not escalated, is left alone; the waiter and a lazy reader may both call it.
 */
export async function settleConsensus(options: {
  store: EventStore;
  org: string;
  runId: string;
  actor: Actor;
  decision: 'approved' | 'denied' | 'expired';
}): Promise<void> {
  const { store, org, runId } = options;
  const events = await store.readSubject({ org, subject: runSubject(runId) });
  const decided = events.findLast((e) => e.type === 'cp.multiagent.consensus.decided')?.data as
    | EventData<'cp.multiagent.consensus.decided'>
    | undefined;
  if (!decided?.escalated) return;
  const picked = events.findLast((e) => e.type === 'cp.multiagent.consensus.picked')?.data as
    | EventData<'cp.multiagent.consensus.picked'>
    | undefined;
  const chosen = decided.clusters[picked?.cluster ?? 0];
  const log = runLog({ store, org, runId, actor: options.actor, decider: consensusDecider });
  await log.record({ type: 'resolve', decision: options.decision, answer: chosen?.representative ?? null });
}

/** Records the cluster a person chose, before they approve; refused unless the run waits for a person. */
export async function pickConsensusAnswer(options: {
  store: EventStore;
  org: string;
  runId: string;
  actor: Actor;
  cluster: number;
}): Promise<void> {
  const log = runLog({ ...options, decider: consensusDecider });
  await log.record({ type: 'pick', cluster: options.cluster });
}
