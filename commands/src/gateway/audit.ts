import { hash } from 'node:crypto';
import type { NewEvent } from '@proofpane/core';
import { checkCostAnomaly, costMicros } from '../cost/index.js';
import type { AttemptReport, FinishReason, ToolCall, Usage } from '../providers/index.js';
import type { GatewayDeps } from './deps.js';
import { callParty, callSubject, type PreparedCall } from './gates.js';
import type { RecentCosts } from './recent-costs.js';

/** How the provider step ended; texts are the provider's own (still masked) output. */
export type CallOutcome =
  | {
      ok: true;
      text: string;
      toolCalls: ToolCall[];
      finishReason: FinishReason;
      usage: Usage;
      attempts: number;
      removedSchemaKeywords: string[];
    }
  | {
      ok: false;
      code: string;
      message: string;
      attempts: number;
      /** What to settle: 0 when nothing was billed, the reservation when usage is unknown. */
      chargeMicros: number;
    };

const round = (ms: number) => Math.max(0, Math.round(ms));

function attemptEvents(prepared: PreparedCall, attempts: readonly AttemptReport[]): NewEvent[] {
  const { call } = prepared;
  return attempts
    .filter((a) => !a.ok)
    .map((a) => ({
      type: 'cp.llm.attempt.failed',
      subject: callSubject(call.requestId),
      actor: call.caller.actor,
      data: {
        provider: a.provider,
        model: a.model,
        attempt: a.attempt,
        ...(a.status === undefined ? {} : { status: a.status }),
        error: `${a.errorKind ?? 'unknown'}${a.status ? ` (HTTP ${a.status})` : ''}`,
        retryInMs: a.willRetry && a.delayMs !== undefined ? round(a.delayMs) : null,
      },
    }));
}

/**
 * Gate 5: settles the reservation to the actual cost (idempotently) while the attempts, the call's outcome,
 * the settlement and any cost anomaly are appended in one batch after the pre-call events; a budget alert
 * the settlement raised follows. Both commits run side by side: the settlement event needs nothing the
 * ledger answers, and a crash between them leaves events from which the ledger is rebuilt.
 */
export async function auditOutcome(options: {
  deps: GatewayDeps;
  prepared: PreparedCall;
  outcome: CallOutcome;
  attempts: readonly AttemptReport[];
  recentCosts: RecentCosts;
}): Promise<{ costMicros: number }> {
  const { deps, prepared, outcome, recentCosts } = options;
  const { call } = prepared;
  const { org } = call.caller;
  const subject = callSubject(call.requestId);
  const actor = call.caller.actor;
  const latencyMs = round(performance.now() - prepared.startedAt);
  const cost = outcome.ok
    ? prepared.price
      ? costMicros({ ...outcome.usage, price: prepared.price })
      : 0
    : outcome.chargeMicros;
  const baseline = outcome.ok ? await recentCosts.get(org) : [];
  const settling = deps.ledger.settle({
    org,
    reservationId: prepared.reservationId,
    actualMicros: cost,
    now: deps.now(),
  });
  // Observed below, after the append; this keeps a failed settlement from surfacing as unhandled meanwhile.
  settling.catch(() => {});
  const events: NewEvent[] = attemptEvents(prepared, options.attempts);
  if (outcome.ok) {
    events.push({
      type: 'cp.llm.call.completed',
      subject,
      actor,
      data: {
        ...callParty(call),
        demo: call.request.provider === 'demo',
        stream: call.stream,
        route: call.route,
        inputTokens: outcome.usage.inputTokens,
        outputTokens: outcome.usage.outputTokens,
        costMicros: cost,
        priceVersion: prepared.price?.version ?? 'unpriced',
        latencyMs,
        attempts: Math.max(1, outcome.attempts),
        finishReason: outcome.finishReason,
        toolCalls: outcome.toolCalls.length,
        capsuleId: null,
        promptSha256: prepared.promptSha256,
        completionSha256: hash('sha256', JSON.stringify([outcome.text, outcome.toolCalls]), 'hex'),
        ...(outcome.removedSchemaKeywords.length > 0
          ? { removedSchemaKeywords: outcome.removedSchemaKeywords.slice(0, 100) }
          : {}),
      },
    });
  } else {
    events.push({
      type: 'cp.llm.call.failed',
      subject,
      actor,
      data: {
        ...callParty(call),
        route: call.route,
        code: outcome.code,
        message: outcome.message.slice(0, 500),
        attempts: outcome.attempts,
        latencyMs,
      },
    });
  }
  events.push({
    type: 'cp.gate.budget.settled',
    subject,
    actor,
    data: {
      month: prepared.reservationMonth,
      reservationId: prepared.reservationId,
      reservedMicros: prepared.reservedMicros,
      actualMicros: cost,
    },
  });
  if (outcome.ok) {
    const anomaly = checkCostAnomaly({
      costMicros: cost,
      recentCostsMicros: baseline,
      factor: deps.settings.anomalyFactor,
    });
    if (anomaly.anomalous) {
      events.push({
        type: 'cp.cost.anomaly.detected',
        subject,
        actor,
        data: {
          costMicros: cost,
          averageMicros: Math.round(anomaly.averageMicros),
          factor: anomaly.factor,
          model: `${call.request.provider}/${call.request.model}`,
        },
      });
    }
    recentCosts.push(org, cost);
  }
  await prepared.preAudit;
  const [settlement] = await Promise.all([settling, deps.store.append({ org, events })]);
  if (settlement && settlement.alerts.length > 0) {
    await deps.store.append({
      org,
      events: settlement.alerts.map((threshold) => ({
        type: 'cp.budget.alert.raised',
        subject: `budget/${settlement.month}`,
        actor,
        data: {
          month: settlement.month,
          threshold,
          spentMicros: settlement.spentMicros,
          capMicros: settlement.capMicros ?? 0,
        },
      })),
    });
  }
  return { costMicros: cost };
}
