import { type Actor, canonicalJson, newId, sha256Hex } from '@proofpane/core';
import type { Gateway, GatewayCaller } from '../gateway/index.js';
import { CARRIED } from '../providers/capabilities.js';
import type { ChatMessage } from '../providers/index.js';
import { parseAnswer } from '../skills/prompt.js';
import { graphHash } from '../workflows/facts.js';
import type { WorkflowGraph } from '../workflows/graph.js';
import type { SkillLookup } from '../workflows/node-outputs.js';
import { builderModel } from './model.js';
import { applyGraphPatch, PATCH_LIMITS, type PatchOperation, type PatchProblem } from './patch.js';
import {
  BUILDER_SYSTEM,
  type BuilderTurn,
  builderMessages,
  PROPOSAL_JSON_SCHEMA,
  repairMessages,
} from './prompt.js';
import { type ScriptedSkills, scriptedProposal } from './scripted.js';

/** A proposal that applies and yields a graph every save rule accepts. */
export interface GraphPatchProposal {
  proposalId: string;
  summary: string;
  patch: PatchOperation[];
  /** The patched graph: what the canvas previews and a save would store. */
  graph: WorkflowGraph;
  baseHash: string;
  resultHash: string;
  patchHash: string;
  calls: number;
  costMicros: number;
  provider: string;
  model: string;
}

/** The model's answer was refused twice: it did not apply, or the graph it yields breaks a rule. */
export class WorkflowPatchRejectedError extends Error {
  constructor(
    readonly problems: PatchProblem[],
    readonly calls: number,
  ) {
    super(
      `the proposed change was refused after ${calls} answer${calls === 1 ? '' : 's'}: ${problems
        .slice(0, 3)
        .map((p) => p.message)
        .join('; ')}`.slice(0, 500),
    );
    this.name = 'WorkflowPatchRejectedError';
  }
}

type Read = { ok: true; summary: string; patch: unknown } | { ok: false; problems: PatchProblem[] };

function readAnswer(text: string): Read {
  const answer = parseAnswer(text);
  const value = answer.ok ? (answer.value as { summary?: unknown; patch?: unknown }) : undefined;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { ok: false, problems: [{ code: 'patch_malformed', message: 'the answer is not a JSON object' }] };
  const summary = typeof value.summary === 'string' ? value.summary.trim() : '';
  if (!summary || summary.length > PATCH_LIMITS.summaryChars)
    return {
      ok: false,
      problems: [
        {
          code: 'patch_malformed',
          message: `summary: one line of 1 to ${PATCH_LIMITS.summaryChars} characters`,
        },
      ],
    };
  return { ok: true, summary: summary.replace(/\s+/g, ' '), patch: value.patch };
}

/**
 * Asks a model, through the governed call on route `workflow-builder` (policy, DLP, budget, audit), for
 * a JSON Patch against `graph` that does what `message` asks, and holds it to the graph's rules; a
 * refused answer gets one repair turn with the reasons. On `demo` the answer is `scriptedProposal`'s.
 */
export async function proposeGraphPatch(
  deps: { gateway: Pick<Gateway, 'complete'>; skills: SkillLookup & ScriptedSkills },
  request: {
    org: string;
    actor: Actor;
    caller?: Pick<GatewayCaller, 'userId' | 'apiKeyId' | 'agent'>;
    graph: WorkflowGraph;
    message: string;
    history?: readonly BuilderTurn[];
    model?: string;
  },
): Promise<GraphPatchProposal> {
  const { provider, model } = builderModel(request.model);
  const schemaCarried = CARRIED[provider]?.has('jsonSchema') ?? false;
  let messages: ChatMessage[] = builderMessages({
    graph: request.graph,
    message: request.message,
    history: request.history ?? [],
  });
  let costMicros = 0;
  for (let calls = 1; ; calls++) {
    const answered = await deps.gateway.complete({
      requestId: newId('req'),
      route: 'workflow-builder',
      caller: { org: request.org, actor: request.actor, ...request.caller },
      stream: false,
      request: {
        provider,
        model,
        system: BUILDER_SYSTEM,
        messages,
        temperature: 0,
        ...(schemaCarried
          ? {
              responseFormat: {
                type: 'json-schema' as const,
                schema: PROPOSAL_JSON_SCHEMA as unknown as Record<string, unknown>,
                name: 'workflow_patch',
              },
            }
          : {}),
      },
    });
    costMicros += answered.costMicros;
    const text =
      provider === 'demo'
        ? JSON.stringify(
            scriptedProposal({ graph: request.graph, message: request.message, skills: deps.skills }),
          )
        : answered.result.text;
    const read = readAnswer(text);
    const applied = read.ok
      ? applyGraphPatch({ graph: request.graph, patch: read.patch, skills: deps.skills })
      : read;
    if (read.ok && applied.ok) {
      const patch = read.patch as PatchOperation[];
      return {
        proposalId: newId('wfp'),
        summary: read.summary,
        patch,
        graph: applied.graph,
        baseHash: graphHash(request.graph),
        resultHash: graphHash(applied.graph),
        patchHash: sha256Hex(canonicalJson(patch)),
        calls,
        costMicros,
        provider,
        model,
      };
    }
    const problems = applied.ok ? [] : applied.problems;
    if (calls >= 2) throw new WorkflowPatchRejectedError(problems, calls);
    messages = repairMessages({ previous: messages, answer: text, problems });
  }
}
