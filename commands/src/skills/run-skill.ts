import {
  type Actor,
  canonicalJson,
  type EventStore,
  type InlineWrite,
  newId,
  sha256Hex,
} from '@proofpane/core';
import {
  type CaseRetriever,
  contextSection,
  queryFromInput,
  SKILL_CONTEXT_CHUNKS,
} from '../documents/skill-context.js';
import { type Gateway, type GatewayCaller, GatewayRefusal, resolveProvider } from '../gateway/index.js';
import type { ChatMessage, ProviderId } from '../providers/index.js';
import { capForEvent } from '../quality/check.js';
import { checkSkillOutput, type SkillOutputCheck, worthRecording } from '../quality/skill-output.js';
import { RunError } from '../runs/decider.js';
import { type CapsuleSource, noCapsules } from './capsules.js';
import { getSkill } from './catalogue/index.js';
import { SkillRunError } from './errors.js';
import { skillRunLog } from './handlers.js';
import { type InputKeeper, inputAsSent } from './input-keeper.js';
import { describeProblem, type SchemaProblem, validateAgainst } from './json-schema.js';
import { parseAnswer, repairMessages, skillMessages } from './prompt.js';

/** What the runner needs; the server wires the real ones, specs may pass a gateway of their own. */
export interface SkillRunnerDeps {
  store: EventStore;
  gateway: Pick<Gateway, 'complete'>;
  /** The org's active capsule per skill; none by default. */
  capsules?: CapsuleSource;
  /** Used when a request names neither provider nor model; `demo/demo` by default. */
  defaultModel?: { provider: ProviderId; model: string };
  /** Whether an OpenAI-compatible server takes model names no known family claims. */
  openAiCompatibleAvailable?: boolean;
  /** Retrieval from a use case's documents, for runs that name a `useCaseId` (docs/documents.md). */
  retrieve?: CaseRetriever;
  /** Keeps each run's masked input for replays, with the run's first answer event. */
  inputs?: InputKeeper;
}

export interface RunSkillRequest {
  org: string;
  actor: Actor;
  /** Who the call's events name besides the actor: the user, API key or agent scope the policy applies. */
  caller?: Pick<GatewayCaller, 'userId' | 'apiKeyId' | 'agent'>;
  skillId: string;
  input: unknown;
  provider?: ProviderId;
  /** A model name, or `provider/model`; the provider is resolved from it when not given. */
  model?: string;
  /** The org's AI use case the run serves, named on `cp.run.started`; the caller checks it exists. */
  useCaseId?: string;
  /** The run this one nests under (a workflow's step), named on `cp.run.started` only. */
  parentRunId?: string;
  /** A fresh run id chosen by the caller; an id already started is refused with `run_exists`. */
  runId?: string;
  /** Aborting stops the provider call and completes the run as cancelled. */
  signal?: AbortSignal;
  /**
   * An approved HITL request to use, after an earlier run was refused with `hitl_required`: the same
   * skill and input make the same call, which the approval is bound to.
   */
  hitlApproval?: string;
}

export interface SkillRunResult {
  runId: string;
  skillId: string;
  skillVersion: string;
  status: 'succeeded';
  /** The answer, valid against the skill's output schema. */
  output: Record<string, unknown>;
  /** What the run's calls were charged, summed. */
  costMicros: number;
  /** The model's answers it took: 1, or 2 after a repair. */
  answers: number;
  /** The governed calls' request ids (`call/<id>` subjects), in order. */
  requestIds: string[];
  provider: ProviderId;
  model: string;
  capsuleId: string | null;
}

const MAX_INPUT_CHARS = 100_000;
const DEMO = { provider: 'demo', model: 'demo' } as const;

function modelOf(deps: SkillRunnerDeps, request: RunSkillRequest): { provider: ProviderId; model: string } {
  const { provider, model } = request;
  if (model === undefined) {
    if (provider === undefined) return deps.defaultModel ?? DEMO;
    if (provider === 'demo') return DEMO;
    throw new SkillRunError('bad_request', `name the ${provider} model to use`);
  }
  if (provider !== undefined) return { provider, model };
  const resolved = resolveProvider({
    model,
    openAiCompatibleAvailable: deps.openAiCompatibleAvailable ?? false,
  });
  if (!resolved) throw new SkillRunError('bad_request', `no provider serves the model "${model}"`);
  return resolved;
}

const problemText = (problems: readonly SchemaProblem[]) => problems.map(describeProblem).join('; ');

/**
 * The schema's problems and L3's: where L3 names the unknown id in a control-id field, ajv's "must be one
 * of" (the whole catalogue) at the same path says less and is dropped.
 */
function withL3(problems: SchemaProblem[], l3: SkillOutputCheck | undefined): SchemaProblem[] {
  if (!l3 || l3.problems.length === 0) return problems;
  const named = new Set(l3.problems.map((p) => p.path));
  return [
    ...problems.filter((p) => !(named.has(p.path) && p.message.startsWith('must be one of'))),
    ...l3.problems,
  ];
}

/**
 * Runs one governed skill as a run of its own (`run/<id>`, kind `skill`): the input checked against
 * the skill's input schema before anything is recorded, then a structured call through every gate of
 * the governed call with `meta.runId`, the answer validated against the output schema and repaired
 * once with the validation errors. Resolves with the valid answer; otherwise throws SkillRunError after
 * recording why the run failed.
 */
export async function runSkill(deps: SkillRunnerDeps, request: RunSkillRequest): Promise<SkillRunResult> {
  const skill = getSkill(request.skillId);
  if (!skill) throw new SkillRunError('skill_not_found', `no skill "${request.skillId}"`);
  const inputJson = JSON.stringify(request.input ?? null);
  const inputProblems =
    inputJson.length > MAX_INPUT_CHARS
      ? [{ path: '', message: `is longer than ${MAX_INPUT_CHARS} characters as JSON` }]
      : validateAgainst(skill.inputSchema, request.input);
  if (inputProblems.length > 0)
    throw new SkillRunError('skill_input_invalid', problemText(inputProblems), { problems: inputProblems });
  const { provider, model } = modelOf(deps, request);
  const { org, actor, signal } = request;
  const runId = request.runId ?? newId('run');
  const capsule = await (deps.capsules ?? noCapsules).active({ org, skillId: skill.id });
  const log = skillRunLog({ store: deps.store, org, runId, actor, parentRunId: request.parentRunId });
  try {
    await log.record({
      type: 'invoke',
      ...(request.useCaseId ? { useCaseId: request.useCaseId } : {}),
      skillId: skill.id,
      skillVersion: skill.version,
      capsuleId: capsule?.id ?? null,
      inputSha256: sha256Hex(canonicalJson(request.input)),
      provider,
      model,
    });
  } catch (error) {
    // One error type for callers: a reused run id is refused like any other skill failure.
    if (error instanceof RunError) throw new SkillRunError(error.code, error.message);
    throw error;
  }

  const requestIds: string[] = [];
  let costMicros = 0;
  const cancelled = async (): Promise<never> => {
    await log.record({ type: 'end', status: 'cancelled', error: 'the caller stopped the run' });
    throw new SkillRunError('skill_cancelled', `skill run ${runId} was cancelled`, { runId });
  };

  // A run for a use case is given its case's best chunks; their ids go on each call event.
  let context = '';
  let retrievedChunkIds: string[] = [];
  const query = request.useCaseId && deps.retrieve ? queryFromInput(request.input) : '';
  if (request.useCaseId && deps.retrieve && query) {
    try {
      const hits = await deps.retrieve({ org, useCaseId: request.useCaseId, query, runId, actor });
      context = contextSection(hits.slice(0, SKILL_CONTEXT_CHUNKS));
      retrievedChunkIds = hits.slice(0, SKILL_CONTEXT_CHUNKS).map((h) => h.chunkId);
    } catch {
      // Retrieval is an aid: its refused or failed embedding call is audited by the gateway, and the
      // run goes on without excerpts.
    }
  }

  let messages: ChatMessage[] = skillMessages({ skill, input: request.input });
  // The input as the first call sent it is kept with the run's first answer event, in its transaction.
  let keepInput: InlineWrite | undefined;
  for (;;) {
    if (signal?.aborted) return cancelled();
    const requestId = newId('req');
    requestIds.push(requestId);
    let text: string;
    let sent: ChatMessage[] | undefined;
    try {
      const answered = await deps.gateway.complete({
        requestId,
        route: 'skill',
        caller: { org, actor, ...request.caller },
        stream: false,
        request: {
          provider,
          model,
          system: (capsule?.text ?? skill.basePrompt) + context,
          messages,
          responseFormat: {
            type: 'json-schema',
            schema: skill.outputSchema,
            name: skill.id.replace('.', '_'),
            description: skill.title,
          },
        },
        run: { id: runId },
        // An approval is used once: a repair, if needed, is a new call that asks again.
        ...(request.hitlApproval && requestIds.length === 1 ? { hitlApproval: request.hitlApproval } : {}),
        ...(capsule ? { capsuleId: capsule.id } : {}),
        ...(retrievedChunkIds.length > 0 ? { retrievedChunkIds } : {}),
        ...(signal ? { signal } : {}),
      });
      text = answered.result.text;
      costMicros += answered.costMicros;
      sent = answered.sentMessages;
    } catch (error) {
      if (signal?.aborted) return cancelled();
      if (!(error instanceof GatewayRefusal)) {
        await log
          .record({ type: 'end', status: 'failed', error: 'the skill call failed unexpectedly' })
          .catch(() => {});
        throw error;
      }
      await log.record({ type: 'end', status: 'failed', error: `${error.code}: ${error.message}` });
      throw new SkillRunError(error.code, error.message, {
        runId,
        requestId,
        ...(error.hitlRequestId ? { hitlRequestId: error.hitlRequestId } : {}),
      });
    }
    if (deps.inputs && requestIds.length === 1)
      keepInput =
        (await deps.inputs
          .keep({ org, skillId: skill.id, runId, maskedInput: inputAsSent({ sent, input: request.input }) })
          // Keeping an input for replays is an aid: the run is recorded without it.
          .catch(() => null)) ?? undefined;
    const parsed = parseAnswer(text);
    const l3 = parsed.ok ? checkSkillOutput({ schema: skill.outputSchema, output: parsed.value }) : undefined;
    const problems = withL3(
      parsed.ok ? validateAgainst(skill.outputSchema, parsed.value) : [parsed.problem],
      l3,
    );
    const findings = l3 && worthRecording(l3) ? capForEvent(l3.result) : undefined;
    if (parsed.ok && problems.length === 0) {
      const output = parsed.value as Record<string, unknown>;
      await log.record(
        {
          type: 'accept',
          requestId,
          outputSha256: sha256Hex(canonicalJson(output)),
          l3: findings,
        },
        keepInput,
      );
      return {
        runId,
        skillId: skill.id,
        skillVersion: skill.version,
        status: 'succeeded',
        output,
        costMicros,
        answers: requestIds.length,
        requestIds,
        provider,
        model,
        capsuleId: capsule?.id ?? null,
      };
    }
    const unknownControls = (l3?.problems.length ?? 0) > 0;
    await log.record(
      { type: 'reject', requestId, errors: problems.map(describeProblem), l3: findings, unknownControls },
      keepInput,
    );
    keepInput = undefined;
    if (log.state().status !== 'running')
      throw unknownControls
        ? new SkillRunError(
            'quality_unknown_control',
            `the answer cited control ids the catalogue does not hold, after one repair: ${problemText(l3?.problems ?? [])}`,
            { runId, requestId, problems },
          )
        : new SkillRunError(
            'skill_output_invalid',
            `the answer failed the output schema after one repair: ${problemText(problems)}`,
            { runId, requestId, problems },
          );
    messages = repairMessages({ previous: messages, answer: text, problems });
  }
}
