import {
  type ConsensusEscalation,
  type MultiAgentRunView,
  readMultiAgentRun,
  reviewSummary,
  settleConsensus,
} from '@proofpane/commands';
import { type Actor, canonicalJson, type EventStore, sha256Hex } from '@proofpane/core';
import { DEFAULT_AUTO_APPROVE_THRESHOLD, type HitlService } from '../hitl/service.js';

/** How long a person has to choose before the request is denied by default and the run fails. */
export const ESCALATION_TIMEOUT_SECONDS = 86_400;
const REASON = 'the agents disagree: semantic entropy is above the threshold';
/** Whoever settles an escalation on the run: the decision itself is the person's, on the HITL request. */
const SETTLER: Actor = { kind: 'system', id: 'multi-agent' };

/**
 * Consensus escalations through the HITL service: kind `consensus`, one request per run, its summary and
 * `choices` the clusters' representatives (DLP-masked), so the console's Approvals page and the desktop
 * approver show what to choose among. The run settles when the person decides, here or, after a
 * restart, when the run is next read.
 */
export function consensusEscalations(options: { hitl: HitlService; store: EventStore }) {
  const { hitl, store } = options;

  const settle = async (org: string, runId: string, requestId: string) => {
    const request = await hitl.get({ org, requestId });
    if (request.status === 'pending') return;
    await settleConsensus({ store, org, runId, actor: SETTLER, decision: request.status });
  };

  /** Settles the run once its person decides; called after the run recorded its escalation. */
  const whenDecided = (org: string, runId: string, requestId: string) =>
    hitl.waitFor({ org, requestId }).then(() => settle(org, runId, requestId));

  const escalation: ConsensusEscalation = {
    async open(input) {
      const { org, runId, clusters } = input;
      const total = clusters.reduce((sum, c) => sum + c.size, 0);
      const summary = reviewSummary([
        `The agents disagree (semantic entropy ${input.entropy.toFixed(3)} > ${input.threshold}). Choose the answer.`,
        `Question: ${input.question}`,
        ...clusters.map(
          (c, i) => `Answer ${i + 1} (${c.size} of ${total} agents): ${c.representative.slice(0, 400)}`,
        ),
        'Approving takes answer 1 unless another was picked on the multi-agent page; denying fails the run.',
      ]);
      const args = {
        runId,
        clusters: clusters.map((c) => ({ members: c.members, sha256: sha256Hex(c.representative) })),
      };
      const opened = await hitl.request({
        org,
        actor: input.actor,
        kind: 'consensus',
        target: `multi-agent/consensus/${runId}`.slice(0, 200),
        args,
        argsSha256: sha256Hex(canonicalJson(args)),
        summary,
        reason: REASON,
        rulesMatched: [],
        dlp: {},
        timeoutSeconds: ESCALATION_TIMEOUT_SECONDS,
        autoApproveThreshold: DEFAULT_AUTO_APPROVE_THRESHOLD,
        choices: clusters.map((c, i) => ({ label: `Answer ${i + 1}`, text: c.representative, size: c.size })),
        meta: { runId },
      });
      return { requestId: opened.requestId };
    },
  };

  return {
    escalation,
    whenDecided,
    /** The run as its events tell it, an escalation settled first when its person already decided. */
    async read(org: string, runId: string): Promise<MultiAgentRunView | undefined> {
      const view = await readMultiAgentRun({ store, org, runId });
      if (view?.kind === 'consensus' && view.status === 'escalated' && view.hitlRequestId) {
        await settle(org, runId, view.hitlRequestId);
        return readMultiAgentRun({ store, org, runId });
      }
      return view;
    },
  };
}
