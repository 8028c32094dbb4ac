import { type Actor, type EventData, type EventStore, newId } from '@proofpane/core';
import { z } from 'zod';
import { type Gateway, GatewayRefusal } from '../gateway/index.js';
import { handleCommand } from '../kit/decider.js';
import { CARRIED } from '../providers/capabilities.js';
import type { ProviderId } from '../providers/index.js';
import { runDecider } from '../runs/decider.js';
import { parseAnswer } from '../skills/prompt.js';

export const TRIAGE_SYSTEM = [
  'You triage news for an AI governance team: SDK releases, papers, repositories and discussions.',
  'Answer with JSON only: relevance from 0 to 1 for a platform that governs LLM calls and agents,',
  'a one-paragraph summary, and an action: "gene" (an instruction to add to a named skill\'s prompt,',
  'in proposal, with skill), "coder" (a code change to make, as a goal in proposal) or "ignore".',
].join(' ');

export const TRIAGE_JSON_SCHEMA = {
  type: 'object',
  properties: {
    relevance: { type: 'number', minimum: 0, maximum: 1 },
    summary: { type: 'string', maxLength: 1000 },
    action: { type: 'string', enum: ['gene', 'coder', 'ignore'] },
    skill: { type: 'string', maxLength: 100 },
    proposal: { type: 'string', maxLength: 1000 },
  },
  required: ['relevance', 'summary', 'action'],
  additionalProperties: false,
} as const;

const verdictSchema = z.object({
  relevance: z.number().min(0).max(1),
  summary: z.string().min(1).max(1_000),
  action: z.enum(['gene', 'coder', 'ignore']),
  skill: z.string().max(100).optional(),
  proposal: z.string().max(1_000).optional(),
});

export type TriageOutcome =
  | { ok: true; result: Omit<EventData<'cp.pu.item.triaged'>, 'itemId'> }
  | { ok: false; reason: string; runId: string; costMicros: number };

/**
 * One item's triage: a governed structured call in a run of its own (kind `parallel-universe`), so the
 * policy, DLP, budget and audit apply and its cost lands on the Parallel Universe budget line. An answer
 * that fails the schema, or a refused call, is a failed triage, never a thrown error. A `gene` without a
 * skill, or an action without a proposal, is read as `ignore`: there is nothing to promote.
 */
export async function triageItem(
  deps: { store: EventStore; gateway: Pick<Gateway, 'complete'> },
  options: {
    org: string;
    actor: Actor;
    model: { provider: ProviderId; model: string };
    item: EventData<'cp.pu.item.discovered'>;
  },
): Promise<TriageOutcome> {
  const { org, actor } = options;
  const runId = newId('run');
  const run = (command: Parameters<typeof runDecider.decide>[0]) =>
    handleCommand({
      store: deps.store,
      org,
      subject: `run/${runId}`,
      decider: runDecider,
      command,
      actor,
      meta: { runId },
    });
  await run({
    type: 'start',
    kind: 'parallel-universe',
    name: `triage ${options.item.source}`.slice(0, 200),
  });
  const schemaCarried = CARRIED[options.model.provider]?.has('jsonSchema') ?? false;
  let costMicros = 0;
  const failed = async (reason: string): Promise<TriageOutcome> => {
    await run({ type: 'complete', status: 'failed', error: reason.slice(0, 500) });
    return { ok: false, reason, runId, costMicros };
  };
  let text: string;
  try {
    const answered = await deps.gateway.complete({
      requestId: newId('req'),
      route: 'parallel-universe',
      caller: { org, actor },
      stream: false,
      request: {
        ...options.model,
        system: TRIAGE_SYSTEM,
        messages: [
          {
            role: 'user',
            content: JSON.stringify({
              source: options.item.source,
              title: options.item.title,
              url: options.item.url,
              publishedAt: options.item.publishedAt,
              excerpt: options.item.excerpt,
            }),
          },
        ],
        temperature: 0,
        maxTokens: 1_024,
        ...(schemaCarried
          ? {
              responseFormat: {
                type: 'json-schema' as const,
                schema: TRIAGE_JSON_SCHEMA as unknown as Record<string, unknown>,
                name: 'triage',
              },
            }
          : {}),
      },
      run: { id: runId },
    });
    text = answered.result.text;
    costMicros = answered.costMicros;
  } catch (error) {
    return failed(
      error instanceof GatewayRefusal
        ? `${error.code}: ${error.message}`.slice(0, 300)
        : 'provider_error: the triage call failed',
    );
  }
  const parsed = parseAnswer(text);
  const verdict = parsed.ok ? verdictSchema.safeParse(parsed.value) : undefined;
  if (!verdict?.success) return failed('the answer did not match the triage schema');
  const v = verdict.data;
  const promotable = v.action !== 'ignore' && !!v.proposal && (v.action === 'coder' || !!v.skill);
  await run({ type: 'complete', status: 'succeeded' });
  return {
    ok: true,
    result: {
      relevance: v.relevance,
      summary: v.summary,
      action: promotable ? v.action : 'ignore',
      ...(promotable && v.skill && v.action === 'gene' ? { skill: v.skill } : {}),
      ...(promotable ? { proposal: v.proposal } : {}),
      runId,
      costMicros,
    },
  };
}
