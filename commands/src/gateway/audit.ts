import type { NewEvent } from '@proofpane/core';
import { checkCostAnomaly, costMicros } from '../cost/index.js';
import type {
  AttemptReport,
  ChoiceResult,
  FinishReason,
  ReasoningPart,
  ToolCall,
  Usage,
} from '../providers/index.js';
import type { CallPlan } from './call-facts.js';
import { callFailedEvent, callSubject } from './call-failed.js';
import type { GatewayDeps } from './deps.js';
import { callParty } from './gate-events.js';
import type { PreparedCall } from './gates.js';
import type { RecentCosts } from './recent-costs.js';
import { cacheUsageFields, completionSha256 } from './thinking.js';
import type { GatewayCall } from './types.js';

/** How the provider step ended; texts are the provider's own (still masked) output. */
export type CallOutcome =
  | {
      ok: true;
      text: string;
      toolCalls: ToolCall[];
      /** The answer's thinking (Anthropic's), a completion body like its text. */
      reasoning?: ReasoningPart[];
      /** Choices 1 to n−1 of a call that asked for n (completion bodies too). */
      choices?: ChoiceResult[];
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

function attemptEvents(call: GatewayCall, attempts: readonly AttemptReport[]): NewEvent[] {
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

/** What a finished call is charged, and whether its provider reported usage beyond the request's limits. */
export function settlementOf(plan: CallPlan, outcome: CallOutcome) {
  if (!outcome.ok)
    return { chargeMicros: outcome.chargeMicros, reportedMicros: undefined, overReported: false };
  if (!plan.price) return { chargeMicros: 0, reportedMicros: undefined, overReported: false };
  const { inputTokens, outputTokens } = outcome.usage;
  const { reservation } = plan;
  const reportedMicros = costMicros({ ...outcome.usage, price: plan.price });
  const overReported = inputTokens > reservation.inputTokenBound || outputTokens > reservation.maxTokens;
  // Within the request's limits the cost cannot exceed the reservation (the reservation is the cost of
  // the limits themselves); beyond them the provider billed what the request did not allow, and the
  // budget charges no more than the reservation, so concurrent calls can never carry spend past the cap.
  return { chargeMicros: Math.min(reportedMicros, reservation.amountMicros), reportedMicros, overReported };
}

/**
 * Gate 5: the attempts, the call's outcome, its settlement and any anomaly are appended in one batch after
 * the pre-call events (a call reserved from a budget lease carries its decision and reservation at the head
 * of this batch instead: one append per call). The settlement's ledger rows are derived from the event by the statement that
 * appends it (see `budget_apply_events`), so the ledger never holds a settlement the chain lacks, or the
 * reverse. Alerts the spend crossed follow in a second append.
 */
export async function auditOutcome(options: {
  deps: GatewayDeps;
  prepared: PreparedCall;
  outcome: CallOutcome;
  attempts: readonly AttemptReport[];
  recentCosts: RecentCosts;
}): Promise<{ costMicros: number }> {
  const { deps, prepared, outcome, recentCosts } = options;
  const { call, plan } = prepared;
  const { reservation } = plan;
  const { org } = call.caller;
  const subject = callSubject(call.requestId);
  const actor = call.caller.actor;
  const model = `${call.request.provider}/${call.request.model}`;
  const latencyMs = round(performance.now() - prepared.startedAt);
  const settlement = settlementOf(plan, outcome);
  const cost = settlement.chargeMicros;
  const baseline = outcome.ok ? await recentCosts.get(org) : [];
  const events: NewEvent[] = [...plan.recordWithOutcome, ...attemptEvents(call, options.attempts)];
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
        ...cacheUsageFields(outcome.usage),
        costMicros: cost,
        priceVersion: plan.price?.version ?? 'unpriced',
        latencyMs,
        attempts: Math.max(1, outcome.attempts),
        finishReason: outcome.finishReason,
        toolCalls: outcome.toolCalls.length,
        ...(outcome.choices?.length ? { choices: outcome.choices.length + 1 } : {}),
        capsuleId: call.capsuleId ?? null,
        ...(call.retrievedChunkIds?.length ? { retrievedChunkIds: call.retrievedChunkIds.slice(0, 50) } : {}),
        promptSha256: plan.promptSha256,
        completionSha256: completionSha256(outcome),
        ...(outcome.removedSchemaKeywords.length > 0
          ? { removedSchemaKeywords: outcome.removedSchemaKeywords.slice(0, 100) }
          : {}),
      },
    });
  } else {
    events.push(
      callFailedEvent({
        requestId: call.requestId,
        actor,
        party: callParty(call),
        route: call.route,
        code: outcome.code,
        message: outcome.message,
        attempts: outcome.attempts,
        latencyMs,
      }),
    );
  }
  events.push({
    type: 'cp.gate.budget.settled',
    subject,
    actor,
    data: {
      month: reservation.month,
      reservationId: reservation.id,
      reservedMicros: reservation.amountMicros,
      actualMicros: cost,
      ...(settlement.overReported && settlement.reportedMicros !== undefined
        ? { reportedMicros: settlement.reportedMicros }
        : {}),
      ...(outcome.ok && !plan.price ? { unpricedModel: model } : {}),
      ...(reservation.leaseId ? { leaseId: reservation.leaseId } : {}),
    },
  });
  if (outcome.ok && settlement.overReported) {
    events.push({
      type: 'cp.cost.provider_anomaly.detected',
      subject,
      actor,
      data: {
        reservationId: reservation.id,
        model,
        reportedInputTokens: outcome.usage.inputTokens,
        reportedOutputTokens: outcome.usage.outputTokens,
        inputTokenBound: reservation.inputTokenBound,
        maxTokens: reservation.maxTokens,
        reportedMicros: settlement.reportedMicros ?? 0,
        chargedMicros: cost,
      },
    });
  }
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
          model,
        },
      });
    }
    recentCosts.push(org, cost);
  }
  await prepared.preAudit;
  const { leaseId } = reservation;
  /** The lease learns the outcome either way: a failed append leaves its slice for other calls. */
  const settleLease = (committed: boolean) => {
    if (leaseId)
      deps.leases?.settled({
        org,
        leaseId,
        reservedMicros: reservation.amountMicros,
        actualMicros: cost,
        committed,
      });
  };
  try {
    await deps.store.append({ org, events });
  } catch (error) {
    settleLease(false);
    throw error;
  }
  settleLease(true);
  if (settlement.overReported) deps.orgBudgets.forget(org);
  if (reservation.capMicros !== null && cost > 0) {
    // Claimed after the settlement committed: a crash in between leaves the threshold to the next settlement.
    const claimed = await deps.ledger.claimAlerts({ org, month: reservation.month });
    if (claimed.alerts.length > 0) {
      await deps.store.append({
        org,
        events: claimed.alerts.map((threshold) => ({
          type: 'cp.budget.alert.raised',
          subject: `budget/${reservation.month}`,
          actor,
          data: {
            month: reservation.month,
            threshold,
            spentMicros: claimed.spentMicros,
            capMicros: claimed.capMicros ?? 0,
          },
        })),
      });
    }
  }
  return { costMicros: cost };
}
