import type { EventData, EventEnvelope, EventStore } from '@proofpane/core';
import { runSubject } from './facts.js';

type Severity = EventData<'cp.multiagent.review.critiqued'>['issues'][number]['severity'];

export interface ConsensusRunView {
  kind: 'consensus';
  runId: string;
  status: 'running' | 'escalated' | 'succeeded' | 'failed' | 'cancelled';
  error?: string;
  method: 'vote' | 'entropy';
  answer: string | null;
  tie: boolean;
  clusters: { size: number; members: number[]; representative: string }[];
  entropy: number | null;
  threshold: number | null;
  escalated: boolean;
  hitlRequestId?: string;
  /** The cluster the escalation settled on, once it did. */
  chosenCluster: number | null;
  agents: {
    agentIndex: number;
    provider: string;
    model: string;
    status: 'pending' | 'answered' | 'failed';
    code?: string;
  }[];
  judgeCalls: number;
}

export interface ReviewRunView {
  kind: 'adversarial-review';
  runId: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  error?: string;
  final: string | null;
  stoppedEarly: boolean;
  rounds: {
    draft: string;
    critique: { issues: { severity: Severity; text: string }[] } | null;
    revision: string | null;
  }[];
  /** The roles' sub-runs, for the run tree. */
  childRunIds: string[];
}

export type MultiAgentRunView = ConsensusRunView | ReviewRunView;

function consensusView(runId: string, events: readonly EventEnvelope[]): ConsensusRunView {
  const view: ConsensusRunView = {
    kind: 'consensus',
    runId,
    status: 'running',
    method: 'vote',
    answer: null,
    tie: false,
    clusters: [],
    entropy: null,
    threshold: null,
    escalated: false,
    chosenCluster: null,
    agents: [],
    judgeCalls: 0,
  };
  for (const e of events) {
    if (e.type === 'cp.multiagent.consensus.requested') {
      const d = e.data as EventData<'cp.multiagent.consensus.requested'>;
      view.method = d.method;
      view.threshold = d.threshold ?? null;
      view.agents = d.agents.map((a, agentIndex) => ({
        agentIndex,
        provider: a.provider,
        model: a.model,
        status: 'pending',
      }));
    } else if (e.type === 'cp.multiagent.agent.answered' || e.type === 'cp.multiagent.agent.failed') {
      const d = e.data as { agentIndex: number; code?: string };
      const agent = view.agents[d.agentIndex];
      if (agent) {
        agent.status = e.type === 'cp.multiagent.agent.answered' ? 'answered' : 'failed';
        if (d.code) agent.code = d.code;
      }
    } else if (e.type === 'cp.multiagent.consensus.decided') {
      const d = e.data as EventData<'cp.multiagent.consensus.decided'>;
      Object.assign(view, {
        answer: d.answer,
        tie: d.tie,
        clusters: d.clusters,
        entropy: d.entropy,
        escalated: d.escalated,
        judgeCalls: d.judgeCalls,
        status: d.escalated ? 'escalated' : view.status,
        ...(d.hitlRequestId ? { hitlRequestId: d.hitlRequestId } : {}),
      });
    } else if (e.type === 'cp.multiagent.consensus.resolved') {
      const d = e.data as EventData<'cp.multiagent.consensus.resolved'>;
      view.answer = d.answer;
      view.chosenCluster = d.cluster;
    } else if (e.type === 'cp.run.completed') {
      const d = e.data as EventData<'cp.run.completed'>;
      view.status = d.status;
      if (d.error) view.error = d.error;
    }
  }
  return view;
}

function reviewView(runId: string, events: readonly EventEnvelope[]): ReviewRunView {
  const view: ReviewRunView = {
    kind: 'adversarial-review',
    runId,
    status: 'running',
    final: null,
    stoppedEarly: false,
    rounds: [],
    childRunIds: [],
  };
  const child = (id: string) => {
    if (!view.childRunIds.includes(id)) view.childRunIds.push(id);
  };
  for (const e of events) {
    if (e.type === 'cp.multiagent.review.drafted') {
      const d = e.data as EventData<'cp.multiagent.review.drafted'>;
      child(d.runId);
      view.rounds.push({ draft: d.text, critique: null, revision: null });
      view.final = d.text;
    } else if (e.type === 'cp.multiagent.review.critiqued') {
      const d = e.data as EventData<'cp.multiagent.review.critiqued'>;
      child(d.runId);
      // A later round reviews the previous revision: its draft was not drafted again.
      if (!view.rounds[d.round - 1])
        view.rounds.push({ draft: view.final ?? '', critique: null, revision: null });
      const round = view.rounds[d.round - 1];
      if (round) round.critique = { issues: d.issues };
    } else if (e.type === 'cp.multiagent.review.revised') {
      const d = e.data as EventData<'cp.multiagent.review.revised'>;
      child(d.runId);
      const round = view.rounds[d.round - 1];
      if (round) round.revision = d.text;
      view.final = d.text;
    } else if (e.type === 'cp.multiagent.review.finished') {
      view.stoppedEarly = (e.data as EventData<'cp.multiagent.review.finished'>).stoppedEarly;
    } else if (e.type === 'cp.run.completed') {
      const d = e.data as EventData<'cp.run.completed'>;
      view.status = d.status;
      if (d.error) view.error = d.error;
    }
  }
  return view;
}

/**
 * A multi-agent run as its events tell it (texts as recorded: DLP-masked), or undefined when the org has no
 * such run. Read from the run's own subject, so it is current the moment an append commits.
 */
export async function readMultiAgentRun(options: {
  store: EventStore;
  org: string;
  runId: string;
}): Promise<MultiAgentRunView | undefined> {
  const events = await options.store.readSubject({ org: options.org, subject: runSubject(options.runId) });
  if (events.some((e) => e.type === 'cp.multiagent.consensus.requested'))
    return consensusView(options.runId, events);
  if (events.some((e) => e.type === 'cp.multiagent.review.requested'))
    return reviewView(options.runId, events);
  return undefined;
}
