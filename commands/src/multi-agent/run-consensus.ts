import { canonicalJson, newId, sha256Hex } from '@proofpane/core';
import { GatewayRefusal } from '../gateway/index.js';
import { validateAgainst } from '../skills/json-schema.js';
import { parseAnswer } from '../skills/prompt.js';
import type { AgentAnswer, AnswerCluster } from './answers.js';
import { clusterByMeaning } from './cluster.js';
import { consensusDecider } from './consensus-decide.js';
import type {
  AgentSpec,
  ClusterView,
  ConsensusDeps,
  ConsensusRequest,
  ConsensusResult,
} from './consensus-types.js';
import { quorumOf, semanticEntropy } from './entropy.js';
import { MultiAgentError } from './errors.js';
import { maskedText } from './masked.js';
import { runLog } from './run-log.js';
import { decisionFields, vote } from './vote.js';

const DEMO = { provider: 'demo', model: 'demo' } as const;

interface Outcome {
  answered: { agentIndex: number; requestId: string; answerSha256: string; costMicros: number }[];
  failed: { agentIndex: number; code: string; message: string }[];
  answers: AgentAnswer[];
  costMicros: number;
}

const failureOf = (error: unknown): { code: string; message: string } =>
  error instanceof GatewayRefusal
    ? { code: error.code, message: error.message.slice(0, 500) }
    : {
        code: 'agent_failed',
        message: (error instanceof Error ? error.message : String(error)).slice(0, 500),
      };

/** Every agent at once; each settles on its own, so one slow or failing agent holds none of the others back. */
async function askAgents(deps: ConsensusDeps, request: ConsensusRequest, agents: AgentSpec[], runId: string) {
  const schema = request.outputSchema;
  const outcome: Outcome = { answered: [], failed: [], answers: [], costMicros: 0 };
  const settled = await Promise.allSettled(
    agents.map((agent) =>
      deps.call({
        provider: agent.provider,
        model: agent.model,
        messages: request.messages,
        runId,
        ...(agent.temperature !== undefined ? { temperature: agent.temperature } : {}),
        ...(schema ? { responseFormat: { type: 'json-schema', schema, name: 'consensus_answer' } } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      }),
    ),
  );
  settled.forEach((result, agentIndex) => {
    if (result.status === 'rejected') {
      outcome.failed.push({ agentIndex, ...failureOf(result.reason) });
      return;
    }
    const { text, costMicros, requestId } = result.value;
    outcome.costMicros += costMicros;
    let value: unknown;
    if (schema) {
      const parsed = parseAnswer(text);
      const problems = parsed.ok ? validateAgainst(schema, parsed.value) : [parsed.problem];
      if (problems.length > 0) {
        const first = problems[0];
        outcome.failed.push({
          agentIndex,
          code: 'output_invalid',
          message: `the answer does not match the output schema: ${first?.path || '(root)'} ${first?.message ?? ''}`,
        });
        return;
      }
      value = parsed.ok ? parsed.value : undefined;
    }
    outcome.answered.push({ agentIndex, requestId, answerSha256: sha256Hex(text), costMicros });
    outcome.answers.push({ agentIndex, text, ...(value !== undefined ? { value } : {}) });
  });
  return outcome;
}

const viewOf = (clusters: readonly AnswerCluster[]): ClusterView[] =>
  clusters.map((c) => ({
    size: c.members.length,
    members: [...c.members],
    representative: c.representative.text,
  }));

const questionOf = (request: ConsensusRequest) =>
  request.messages
    .filter((m) => m.role === 'user')
    .map((m) => (typeof m.content === 'string' ? m.content : ''))
    .join('\n')
    .slice(-8_000);

/**
 * Asks n agents the same question in parallel and decides (docs/multi-agent.md): by a vote over
 * normalised answers (or the decision fields of structured ones), or by semantic entropy over clusters of
 * equivalent answers, escalating to a person above the threshold. At least a quorum (floor(n/2) + 1) must
 * answer; fewer fails the run with `multi_agent_quorum_not_met`. The run is `run/<id>`, kind `multi-agent`.
 */
export async function runConsensus(deps: ConsensusDeps, request: ConsensusRequest): Promise<ConsensusResult> {
  const fallback = deps.defaultModel ?? DEMO;
  const agents: AgentSpec[] = request.agents?.length
    ? request.agents
    : Array.from({ length: request.n }, () => ({ ...fallback }));
  // The judge is named, or the first agent's model: a deployment with real agents judges with one of them.
  const judge =
    request.judge ??
    (request.agents?.[0]
      ? { provider: request.agents[0].provider, model: request.agents[0].model }
      : fallback);
  const runId = request.runId ?? newId('run');
  const quorum = quorumOf(agents.length);
  const log = runLog({
    store: deps.store,
    org: request.org,
    runId,
    actor: request.actor,
    decider: consensusDecider,
    parentRunId: request.parentRunId,
    fresh: true,
  });
  await log.record({
    type: 'request',
    name: request.name ?? `consensus (${request.method}, ${agents.length} agents)`,
    method: request.method,
    agents: agents.map((a) => ({ ...a })),
    quorum,
    ...(request.method === 'entropy' ? { threshold: request.threshold, judge: { ...judge } } : {}),
    promptSha256: sha256Hex(canonicalJson(request.messages)),
    ...(request.outputSchema ? { outputSchemaSha256: sha256Hex(canonicalJson(request.outputSchema)) } : {}),
  });

  let outcome: Outcome;
  try {
    outcome = await askAgents(deps, request, agents, runId);
  } catch (error) {
    await log
      .record({ type: 'fail', status: 'failed', error: 'the agents could not be asked' })
      .catch(() => {});
    throw error;
  }
  const failures = outcome.failed;
  // The agents' outcomes go into the append that decides or fails the run: one append, not two.
  const recorded = { answered: outcome.answered, failed: outcome.failed };
  if (request.signal?.aborted) {
    await log.record({
      type: 'fail',
      status: 'cancelled',
      error: 'the caller stopped the run',
      agents: recorded,
    });
    throw new MultiAgentError('multi_agent_cancelled', `consensus run ${runId} was cancelled`, {
      runId,
    });
  }
  if (outcome.answers.length < quorum) {
    const error = `${outcome.answers.length} of ${agents.length} agents answered; the quorum is ${quorum}`;
    await log.record({ type: 'fail', status: 'failed', error, agents: recorded });
    throw new MultiAgentError('multi_agent_quorum_not_met', error, {
      runId,
      failures: failures.map((f) => ({ agentIndex: f.agentIndex, code: f.code })),
    });
  }

  let clusters: AnswerCluster[];
  let tie: boolean;
  let comparisons = 0;
  let judgeCalls = 0;
  let costMicros = outcome.costMicros;
  if (request.method === 'vote') {
    const fields = request.outputSchema ? decisionFields(request.outputSchema) : undefined;
    const result = vote(outcome.answers, fields);
    clusters = result.clusters;
    tie = result.tie;
  } else {
    try {
      const clustering = await clusterByMeaning({
        answers: outcome.answers,
        question: questionOf(request),
        judge,
        call: deps.call,
        runId,
        ...(request.signal ? { signal: request.signal } : {}),
      });
      clusters = clustering.clusters;
      comparisons = clustering.comparisons;
      judgeCalls = clustering.judgeCalls;
      costMicros += clustering.costMicros;
    } catch (error) {
      const { code, message } = failureOf(error);
      await log.record({
        type: 'fail',
        status: 'failed',
        error: `the judge failed: ${code}: ${message}`,
        agents: recorded,
      });
      throw new MultiAgentError('multi_agent_step_failed', `the judge did not answer (${code}: ${message})`, {
        runId,
      });
    }
    const [first, second] = clusters;
    tie = first !== undefined && second !== undefined && first.members.length === second.members.length;
  }
  const entropy = semanticEntropy(clusters.map((c) => c.members.length));
  const views = viewOf(clusters);
  const escalate =
    request.method === 'entropy' && entropy > request.threshold && deps.escalation !== undefined;
  let hitlRequestId: string | undefined;
  if (escalate && deps.escalation) {
    const masked = views.map((v) => ({ ...v, representative: maskedText(v.representative, 2_000) }));
    ({ requestId: hitlRequestId } = await deps.escalation.open({
      org: request.org,
      actor: request.actor,
      runId,
      question: maskedText(questionOf(request), 500),
      clusters: masked,
      entropy,
      threshold: request.threshold,
    }));
  }
  const winner = escalate || tie ? undefined : clusters[0];
  await log.record({
    type: 'decide',
    agents: recorded,
    method: request.method,
    answer: winner ? maskedText(winner.representative.text) : null,
    tie,
    clusters: views.map((v) => ({ ...v, representative: maskedText(v.representative) })),
    entropy,
    comparisons,
    judgeCalls,
    escalated: escalate,
    ...(hitlRequestId ? { hitlRequestId } : {}),
  });
  return {
    runId,
    answer: winner?.representative.text ?? null,
    method: request.method,
    clusters: views,
    entropy,
    tie,
    escalated: escalate,
    ...(hitlRequestId ? { hitlRequestId } : {}),
    failures,
    comparisons,
    judgeCalls,
    costMicros,
  };
}
