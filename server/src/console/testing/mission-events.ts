import type { NewEvent } from '@proofpane/core';

// Catalogue events Mission Control's browser specs and bench append straight to the store, so a
// page can show gate outcomes and costs that no demo call produces (a block, a budget refusal, a
// model without a price, costs of a few micro-dollars).

type Actor = NewEvent['actor'];
const hash = (n: number) => n.toString(16).padStart(64, '0');
const month = () => new Date().toISOString().slice(0, 7);

export function callCompleted(o: {
  id: string;
  actor: Actor;
  costMicros: number;
  model?: string;
  apiKeyId?: string;
  userId?: string;
}): NewEvent {
  return {
    type: 'cp.llm.call.completed',
    subject: `call/${o.id}`,
    actor: o.actor,
    data: {
      provider: 'openai',
      model: o.model ?? 'gpt-4o-mini',
      ...(o.apiKeyId ? { apiKeyId: o.apiKeyId } : {}),
      ...(o.userId ? { userId: o.userId } : {}),
      demo: false,
      stream: false,
      route: '/v1/chat/completions',
      inputTokens: 12,
      outputTokens: 8,
      costMicros: o.costMicros,
      priceVersion: 'spec',
      latencyMs: 1_250,
      attempts: 1,
      finishReason: 'stop',
      toolCalls: 0,
      capsuleId: null,
      promptSha256: hash(1),
      completionSha256: hash(2),
    },
  };
}

export function policyDecided(o: {
  id: string;
  actor: Actor;
  decision: 'allow' | 'block';
  dlp?: Record<string, number>;
}): NewEvent {
  return {
    type: 'cp.gate.policy.decided',
    subject: `call/${o.id}`,
    actor: o.actor,
    data: {
      provider: 'openai',
      model: 'gpt-4o-mini',
      decision: o.decision,
      ...(o.decision === 'block' ? { code: 'policy_blocked', reason: 'model not allowed' } : {}),
      policyVersion: 1,
      rulesMatched: o.decision === 'block' ? ['models.allow'] : [],
      dlp: o.dlp ?? {},
      route: '/v1/chat/completions',
    },
  };
}

export function budgetRefused(o: { id: string; actor: Actor }): NewEvent {
  return {
    type: 'cp.gate.budget.refused',
    subject: `call/${o.id}`,
    actor: o.actor,
    data: { month: month(), amountMicros: 5_000, capMicros: 1_000, spentMicros: 900, reservedMicros: 0 },
  };
}

/** A settled call that no price covered: the budget tables then list its model as unpriced. */
export function unpricedSettled(o: { id: string; actor: Actor; model: string }): NewEvent {
  return {
    type: 'cp.gate.budget.settled',
    subject: `call/${o.id}`,
    actor: o.actor,
    data: {
      month: month(),
      reservationId: `res_${o.id}`,
      reservedMicros: 0,
      actualMicros: 0,
      unpricedModel: o.model,
    },
  };
}

export const runStarted = (i: number, actor: Actor): NewEvent => ({
  type: 'cp.run.started',
  subject: `run/run_${i}`,
  actor,
  meta: { runId: `run_${i}` },
  data: { kind: i % 2 === 0 ? 'workflow' : 'skill', name: `Run ${i}` },
});
