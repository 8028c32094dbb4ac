import { hash } from 'node:crypto';
import type { NewEvent } from '@proofpane/core';
import type { OrgBudget } from '../budget/index.js';
import {
  inputTokenBound,
  mediaTokenBound,
  type PriceTable,
  priceFor,
  type ResolvedPrice,
  worstCaseMicros,
} from '../cost/index.js';
import { requestMedia } from '../providers/capabilities.js';
import { longestCacheTtl, redactedThinking } from '../providers/index.js';
import type { CallDecision, CallFacts, CallNeed, CallRefusal } from './call-facts.js';
import { callFailedEvent } from './call-failed.js';
import type { RefusalCode } from './errors.js';
import { budgetRefusedEvent, budgetReservedEvent, callParty, policyDecidedEvent } from './gate-events.js';
import { withTexts } from './texts.js';
import type { GatewayCall } from './types.js';

const needs = (need: CallNeed): CallDecision => ({ kind: 'needs', need });
const refuse = (refusal: CallRefusal): CallDecision => ({ kind: 'refusal', refusal });

/**
 * The governed call's gates as one pure decision: the policy + DLP verdict, the approval a person gave,
 * the provider's key, open provider anomalies, the price, then the worst case the budget must hold. It
 * names the next fact it needs until it can refuse (with the events that audit the refusal) or plan the
 * call; the process looks each fact up and asks again.
 */
export function decideCall(call: GatewayCall, facts: CallFacts): CallDecision {
  return policyGate(call, facts) ?? keyGate(call, facts) ?? budgetGate(call, facts);
}

const decidedEvent = (call: GatewayCall, facts: CallFacts) =>
  policyDecidedEvent({ call, policyVersion: facts.policy.version, verdict: facts.policy.verdict });

/** A call refused before it had a reservation, audited as failing with no attempt. */
const failedEvent = (call: GatewayCall, code: RefusalCode, message: string) =>
  callFailedEvent({
    requestId: call.requestId,
    actor: call.caller.actor,
    party: callParty(call),
    route: call.route,
    code,
    message,
    attempts: 0,
    latencyMs: 0,
  });

/** The verdict, and the approval when the verdict asks a person and someone can be asked. */
function policyGate(call: GatewayCall, facts: CallFacts): CallDecision | undefined {
  const { verdict } = facts.policy;
  const approval = facts.approval;
  if (verdict.decision === 'allow') return undefined;
  if (verdict.decision === 'block' || approval?.status === 'unavailable')
    return refuse({
      code: verdict.code ?? 'policy_blocked',
      message: verdict.reason,
      events: [decidedEvent(call, facts)],
    });
  if (!approval) return needs({ fact: 'approval' });
  const hitlRequestId = approval.requestId;
  if (approval.status === 'unusable')
    return refuse({
      code: 'hitl_required',
      message: `approval ${hitlRequestId}: ${approval.reason}`,
      events: [failedEvent(call, 'hitl_required', approval.reason)],
      hitlRequestId,
    });
  if (approval.status === 'pending')
    return refuse({
      code: 'hitl_required',
      message: `${verdict.reason}; approve request ${hitlRequestId}, then repeat the call with x-proofpane-hitl: ${hitlRequestId}`,
      events: [decidedEvent(call, facts)],
      hitlRequestId,
    });
  return undefined;
}

/** The org's own key for the provider, unless the platform holds one (the demo provider needs none). */
function keyGate(call: GatewayCall, facts: CallFacts): CallDecision | undefined {
  const { provider } = call.request;
  if (provider === 'demo' || facts.credentials) return undefined;
  if (facts.credentials === undefined) return needs({ fact: 'credentials' });
  if (facts.platformProviders.includes(provider)) return undefined;
  const message = `provider "${provider}" has no key: set one with PUT /api/provider-keys/${provider}`;
  return refuse({
    code: 'invalid_request',
    message,
    events: [decidedEvent(call, facts), failedEvent(call, 'invalid_request', message)],
  });
}

/** A budget refusal before any reservation: it records the month's figures and an amount of 0. */
function refuseUnreserved(
  call: GatewayCall,
  facts: CallFacts,
  refusal: { code: 'price_unknown' | 'provider_anomaly'; message: string; model?: string },
): CallDecision {
  const { figures } = facts;
  if (!figures) return needs({ fact: 'figures' });
  const { code, message, model } = refusal;
  const refused = budgetRefusedEvent(call, {
    month: figures.month,
    amountMicros: 0,
    capMicros: figures.capMicros ?? 0,
    spentMicros: figures.spentMicros,
    reservedMicros: figures.reservedMicros,
    code,
    ...(model ? { model } : {}),
  });
  return refuse({ code, message, events: [decidedEvent(call, facts), refused] });
}

/** Open provider anomalies and the price, then the worst case to reserve, then the plan. */
function budgetGate(call: GatewayCall, facts: CallFacts): CallDecision {
  const { request, requestId } = call;
  const { verdict } = facts.policy;
  const budget = facts.budget;
  if (!budget) return needs({ fact: 'budget' });
  if (budget.openAnomalies > 0)
    return refuseUnreserved(call, facts, {
      code: 'provider_anomaly',
      message: `a provider reported usage beyond a request's limits (${budget.openAnomalies} unacknowledged); an admin acknowledges it with POST /api/budget/anomalies/ack`,
    });
  const price = priceOf(request, budget, facts.prices);
  const modelKey = `${request.provider}/${request.model}`;
  if (!price && budget.capMicros !== null)
    return refuseUnreserved(call, facts, {
      code: 'price_unknown',
      message: `"${modelKey}" has no price, so the monthly cap cannot bound its cost: set one with PUT /api/budget/prices`,
      model: modelKey,
    });

  const { defaultMaxTokens } = facts;
  // Always sent to the provider, so the reservation covers every output token it may bill.
  const maxTokens =
    request.maxTokens ?? Math.min(verdict.maxTokensLimit ?? defaultMaxTokens, defaultMaxTokens);
  const toolSchemas = (request.tools ?? []).map((t) => JSON.stringify(t));
  // A response schema reaches the model as input too (a constrained-output prompt or a forced tool).
  const format = request.responseFormat;
  const formatSchema = format?.type === 'json-schema' ? [JSON.stringify(format)] : [];
  const inputBound = inputTokenBound({
    texts: [...verdict.maskedTexts, ...toolSchemas, ...formatSchema, ...redactedThinking(request)],
    tools: toolSchemas.length > 0 || formatSchema.length > 0,
    mediaTokens: mediaTokenBound({
      provider: request.provider,
      model: request.model,
      media: requestMedia(request),
    }),
  });
  // A prompt-cache write costs more than plain input: the bound is priced at the dearest rate it allows.
  const cacheTtl = longestCacheTtl(request);
  // n choices are n calls of one choice each: each bills the whole input and up to max tokens of output.
  const choices = Math.max(1, request.n ?? 1);
  const amountMicros = price
    ? worstCaseMicros({
        inputTokenBound: inputBound * choices,
        maxTokens: maxTokens * choices,
        price,
        cacheTtl,
      })
    : 0;

  const reservation = facts.reservation;
  if (!reservation) return needs({ fact: 'reservation', amountMicros, capMicros: budget.capMicros });
  if (reservation.from === 'ledger' && !reservation.ok) {
    const { month, capMicros, spentMicros, reservedMicros } = reservation;
    const refused = budgetRefusedEvent(call, { month, amountMicros, capMicros, spentMicros, reservedMicros });
    return refuse({
      code: 'budget_exceeded',
      message: `the monthly budget cannot cover this call's worst case (${amountMicros} µUSD; ${spentMicros} spent and ${reservedMicros} reserved of ${capMicros})`,
      events: [decidedEvent(call, facts), refused],
    });
  }
  const { month, capMicros, spentMicros, reservedMicros } = reservation;
  const leaseId = reservation.from === 'lease' ? reservation.leaseId : undefined;
  const lease = leaseId ? { leaseId } : {};
  const gateEvents: NewEvent[] = [
    decidedEvent(call, facts),
    budgetReservedEvent(call, {
      month,
      reservationId: requestId,
      amountMicros,
      capMicros,
      spentMicros,
      reservedMicros,
      ...lease,
    }),
  ];
  const { credentials } = facts;
  return {
    kind: 'plan',
    plan: {
      outbound: {
        ...withTexts(request, verdict.maskedTexts),
        maxTokens,
        ...(credentials && request.provider !== 'demo' ? { credentials } : {}),
      },
      vault: verdict.vault,
      price,
      promptSha256: hash('sha256', JSON.stringify(verdict.maskedTexts), 'hex'),
      reservation: {
        id: requestId,
        month,
        amountMicros,
        // The limits of all the call's choices together, which their summed usage is held to.
        inputTokenBound: inputBound * choices,
        maxTokens: maxTokens * choices,
        capMicros,
        ...lease,
      },
      recordNow: leaseId ? [] : gateEvents,
      recordWithOutcome: leaseId ? gateEvents : [],
    },
  };
}

/**
 * The call's price: the org's own price for the model, else the price table's, else the org's default
 * price; null when none applies.
 */
function priceOf(
  request: GatewayCall['request'],
  budget: OrgBudget,
  table: PriceTable,
): ResolvedPrice | null {
  const { provider, model } = request;
  const own = budget.models[`${provider}/${model}`];
  if (own) return { ...own, key: `${provider}/${model}`, version: 'org' };
  const listed = priceFor({ provider, model: provider === 'demo' ? 'demo' : model, table });
  if (listed) return listed;
  return budget.defaultPrice ? { ...budget.defaultPrice, key: 'org/default', version: 'org-default' } : null;
}
