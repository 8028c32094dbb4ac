import type { NewEvent } from '@proofpane/core';

// Builders of valid catalogue events for read-model specs and benchmarks.

const hash = (n: number) => n.toString(16).padStart(64, '0');
const user = { kind: 'user' as const, id: 'usr_1' };

export interface CallOptions {
  id: string;
  costMicros: number;
  inputTokens?: number;
  outputTokens?: number;
  model?: string;
  provider?: string;
  userId?: string;
  apiKeyId?: string;
  agent?: string;
  runId?: string;
  actor?: NewEvent['actor'];
}

export function callCompleted(o: CallOptions): NewEvent {
  return {
    type: 'cp.llm.call.completed',
    subject: `call/${o.id}`,
    actor: o.actor ?? user,
    meta: o.runId ? { runId: o.runId } : {},
    data: {
      provider: o.provider ?? 'anthropic',
      model: o.model ?? 'claude-sonnet',
      ...(o.agent ? { agent: o.agent } : {}),
      ...(o.apiKeyId ? { apiKeyId: o.apiKeyId } : {}),
      ...(o.userId ? { userId: o.userId } : {}),
      demo: false,
      stream: false,
      route: '/v1/messages',
      inputTokens: o.inputTokens ?? 100,
      outputTokens: o.outputTokens ?? 50,
      costMicros: o.costMicros,
      priceVersion: '2026-01',
      latencyMs: 120,
      attempts: 1,
      finishReason: 'stop',
      toolCalls: 0,
      capsuleId: null,
      promptSha256: hash(1),
      completionSha256: hash(2),
    },
  };
}

export const runStarted = (o: {
  id: string;
  kind: string;
  name?: string;
  parentRunId?: string;
}): NewEvent => ({
  type: 'cp.run.started',
  subject: `run/${o.id}`,
  actor: { kind: 'agent', id: 'agent_1' },
  meta: { runId: o.id, ...(o.parentRunId ? { parentRunId: o.parentRunId } : {}) },
  data: { kind: o.kind, name: o.name ?? o.id },
});

export const runCompleted = (o: { id: string; status: 'succeeded' | 'failed' | 'cancelled' }): NewEvent => ({
  type: 'cp.run.completed',
  subject: `run/${o.id}`,
  actor: { kind: 'agent', id: 'agent_1' },
  meta: { runId: o.id },
  data: { status: o.status },
});

export const capSet = (capMicros: number | null): NewEvent => ({
  type: 'cp.budget.cap.set',
  subject: 'budget/monthly',
  actor: { kind: 'user', id: 'usr_admin' },
  data: { monthlyCapMicros: capMicros },
});

export const reserved = (o: { id: string; month: string; amountMicros: number }): NewEvent => ({
  type: 'cp.gate.budget.reserved',
  subject: `call/${o.id}`,
  actor: user,
  data: {
    month: o.month,
    reservationId: o.id,
    amountMicros: o.amountMicros,
    capMicros: null,
    spentMicros: 0,
    reservedMicros: o.amountMicros,
  },
});

export const settled = (o: { id: string; month: string; amountMicros: number }): NewEvent => ({
  type: 'cp.gate.budget.settled',
  subject: `call/${o.id}`,
  actor: user,
  data: { month: o.month, reservationId: o.id, reservedMicros: o.amountMicros, actualMicros: o.amountMicros },
});

export const anomaly = (o: { id: string; costMicros: number; averageMicros: number }): NewEvent => ({
  type: 'cp.cost.anomaly.detected',
  subject: `call/${o.id}`,
  actor: { kind: 'system', id: 'proofpane' },
  data: { costMicros: o.costMicros, averageMicros: o.averageMicros, factor: 5, model: 'claude-sonnet' },
});

export const policyDecided = (o: { id: string; runId?: string; actor?: NewEvent['actor'] }): NewEvent => ({
  type: 'cp.gate.policy.decided',
  subject: `call/${o.id}`,
  actor: o.actor ?? user,
  meta: o.runId ? { runId: o.runId } : {},
  data: {
    provider: 'anthropic',
    model: 'claude-sonnet',
    decision: 'allow',
    policyVersion: 1,
    rulesMatched: [],
    dlp: {},
    route: '/v1/messages',
  },
});
