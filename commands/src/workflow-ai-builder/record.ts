import type { Actor, EventStore } from '@proofpane/core';
import type { Fact } from '../kit/fact.js';
import { onceDecider, recordOnce } from '../kit/record-once.js';
import type { GraphPatchProposal } from './propose.js';

type ProposedFact = Fact<'cp.workflow.builder.proposed'>;

const proposedOnce = onceDecider<ProposedFact>('cp.workflow.builder.proposed');

export const builderSubject = (proposalId: string) => `workflow-builder/${proposalId}`;

/**
 * Records a proposal that changes the graph: hashes, size, turns and model, never the message, summary or
 * patch (docs/decisions/0045). An empty patch changes nothing and records nothing.
 */
export async function recordGraphPatchProposal(options: {
  store: EventStore;
  org: string;
  actor: Actor;
  proposal: GraphPatchProposal;
}): Promise<boolean> {
  const { store, org, actor, proposal } = options;
  if (proposal.patch.length === 0) return false;
  await recordOnce({
    store,
    org,
    actor,
    subject: builderSubject(proposal.proposalId),
    decider: proposedOnce,
    data: {
      proposalId: proposal.proposalId,
      baseHash: proposal.baseHash,
      resultHash: proposal.resultHash,
      patchHash: proposal.patchHash,
      ops: proposal.patch.length,
      calls: proposal.calls,
      provider: proposal.provider,
      model: proposal.model.slice(0, 200),
    },
  });
  return true;
}
