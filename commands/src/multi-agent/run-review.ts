import { type Actor, type EventStore, newId, sha256Hex } from '@proofpane/core';
import { GatewayRefusal } from '../gateway/index.js';
import { handleCommand } from '../kit/decider.js';
import { runDecider } from '../runs/decider.js';
import { validateAgainst } from '../skills/json-schema.js';
import { parseAnswer } from '../skills/prompt.js';
import { MultiAgentError } from './errors.js';
import { runSubject } from './facts.js';
import { maskedText } from './masked.js';
import type { GovernedCall, ModelCallOutput, ModelRef } from './model-call.js';
import { reviewDecider } from './review-decide.js';
import {
  blocks,
  CRITIC_SYSTEM,
  CRITIQUE_SCHEMA,
  critiqueMessages,
  DRAFTER_SYSTEM,
  draftMessages,
  type Issue,
  REVISER_SYSTEM,
  reviseMessages,
} from './review-prompts.js';
import { runLog } from './run-log.js';

export type Role = 'drafter' | 'critic' | 'reviser';
export type RoleModel = ModelRef & { temperature?: number };

export interface ReviewRequest {
  org: string;
  actor: Actor;
  task: string;
  rounds: number;
  drafter: RoleModel;
  critic: RoleModel;
  reviser: RoleModel;
  rubric?: string | undefined;
  runId?: string | undefined;
  parentRunId?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface ReviewRound {
  draft: string;
  critique: { issues: Issue[] };
  /** Null in the round where the critic found nothing at or above `major`. */
  revision: string | null;
}

export interface ReviewResult {
  runId: string;
  final: string;
  rounds: ReviewRound[];
  stoppedEarly: boolean;
  /** The roles' sub-runs, nested under the review's run. */
  roleRunIds: Record<Role, string>;
  costMicros: number;
}

/** One role's sub-run (kind `multi-agent`, named for the role), started at its first call. */
function roleRuns(store: EventStore, org: string, actor: Actor, parentRunId: string) {
  const ids: Record<Role, string> = { drafter: newId('run'), critic: newId('run'), reviser: newId('run') };
  const started = new Set<Role>();
  const command = (
    role: Role,
    command: Parameters<typeof runDecider.decide>[0],
    meta: Record<string, string>,
  ) =>
    handleCommand({ store, org, subject: runSubject(ids[role]), decider: runDecider, command, actor, meta });
  return {
    ids,
    async start(role: Role) {
      if (started.has(role)) return;
      started.add(role);
      await command(
        role,
        { type: 'start', kind: 'multi-agent', name: role },
        { runId: ids[role], parentRunId },
      );
    },
    async completeAll(status: 'succeeded' | 'failed' | 'cancelled', error?: string) {
      for (const role of started)
        await command(role, { type: 'complete', status, ...(error ? { error } : {}) }, { runId: ids[role] });
    },
    started: () => [...started],
  };
}

/**
 * Adversarial review (docs/multi-agent.md): a drafter writes, a critic lists issues by severity, a reviser
 * fixes them; the revision is the next round's draft. Stops as soon as the critic reports nothing at or
 * above `major`, or after `rounds`. Each role is a sub-run of the review's run; every draft, critique and
 * revision is an event with its cost, and every call is governed.
 */
export async function runAdversarialReview(
  deps: { store: EventStore; call: GovernedCall },
  request: ReviewRequest,
): Promise<ReviewResult> {
  const { store, call } = deps;
  const { org, actor, task, rubric } = request;
  const runId = request.runId ?? newId('run');
  const log = runLog({
    store,
    org,
    runId,
    actor,
    decider: reviewDecider,
    parentRunId: request.parentRunId,
    fresh: true,
  });
  const strip = ({ temperature, ...ref }: RoleModel) => ({
    ...ref,
    ...(temperature !== undefined ? { temperature } : {}),
  });
  await log.record({
    type: 'request',
    name: 'adversarial review',
    rounds: request.rounds,
    drafter: strip(request.drafter),
    critic: strip(request.critic),
    reviser: strip(request.reviser),
    taskSha256: sha256Hex(task),
    ...(rubric ? { rubricSha256: sha256Hex(rubric) } : {}),
  });
  const roles = roleRuns(store, org, actor, runId);
  let costMicros = 0;

  const ask = async (
    role: Role,
    input: Omit<Parameters<GovernedCall>[0], 'provider' | 'model' | 'runId'>,
  ) => {
    await roles.start(role);
    const model = request[role];
    try {
      const answered: ModelCallOutput = await call({
        ...input,
        provider: model.provider,
        model: model.model,
        runId: roles.ids[role],
        ...(model.temperature !== undefined ? { temperature: model.temperature } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      });
      costMicros += answered.costMicros;
      return answered;
    } catch (error) {
      const why = error instanceof GatewayRefusal ? `${error.code}: ${error.message}` : 'the call failed';
      throw new MultiAgentError('multi_agent_step_failed', `the ${role} did not answer (${why})`, { runId });
    }
  };

  const rounds: ReviewRound[] = [];
  let stoppedEarly = false;
  try {
    const first = await ask('drafter', { system: DRAFTER_SYSTEM, messages: draftMessages(task, rubric) });
    await log.record({
      type: 'draft',
      round: 1,
      runId: roles.ids.drafter,
      requestId: first.requestId,
      text: maskedText(first.text),
      costMicros: first.costMicros,
    });
    let draft = first.text;
    for (let round = 1; round <= request.rounds; round++) {
      const critiqued = await ask('critic', {
        system: CRITIC_SYSTEM,
        messages: critiqueMessages(task, draft, rubric),
        responseFormat: { type: 'json-schema', schema: CRITIQUE_SCHEMA, name: 'critique' },
      });
      const parsed = parseAnswer(critiqued.text);
      if (!parsed.ok || validateAgainst(CRITIQUE_SCHEMA, parsed.value).length > 0)
        throw new MultiAgentError(
          'multi_agent_step_failed',
          `the critic's answer in round ${round} is not a critique`,
          {
            runId,
          },
        );
      const issues = (parsed.value as { issues: Issue[] }).issues;
      await log.record({
        type: 'critique',
        round,
        runId: roles.ids.critic,
        requestId: critiqued.requestId,
        issues: issues.map((i) => ({ severity: i.severity, text: maskedText(i.text, 1_000) })),
        costMicros: critiqued.costMicros,
      });
      if (!blocks(issues)) {
        stoppedEarly = true;
        rounds.push({ draft, critique: { issues }, revision: null });
        break;
      }
      const revised = await ask('reviser', {
        system: REVISER_SYSTEM,
        messages: reviseMessages(task, draft, issues, rubric),
      });
      await log.record({
        type: 'revise',
        round,
        runId: roles.ids.reviser,
        requestId: revised.requestId,
        text: maskedText(revised.text),
        costMicros: revised.costMicros,
      });
      rounds.push({ draft, critique: { issues }, revision: revised.text });
      draft = revised.text;
    }
    await log.record({ type: 'finish', rounds: rounds.length, stoppedEarly, finalSha256: sha256Hex(draft) });
    await roles.completeAll('succeeded');
    return { runId, final: draft, rounds, stoppedEarly, roleRunIds: roles.ids, costMicros };
  } catch (error) {
    const cancelled = request.signal?.aborted === true;
    const message = cancelled
      ? 'the caller stopped the run'
      : error instanceof Error
        ? error.message
        : 'the review failed';
    await roles.completeAll(cancelled ? 'cancelled' : 'failed', message.slice(0, 500)).catch(() => {});
    await log
      .record({ type: 'fail', status: cancelled ? 'cancelled' : 'failed', error: message })
      .catch(() => {});
    if (cancelled)
      throw new MultiAgentError('multi_agent_cancelled', `review run ${runId} was cancelled`, { runId });
    throw error;
  }
}
