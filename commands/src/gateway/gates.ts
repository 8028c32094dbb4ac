import { hash } from 'node:crypto';
import { canonicalJson, type NewEvent } from '@proofpane/core';
import type { OrgBudget } from '../budget/index.js';
import {
  inputTokenBound,
  mediaTokenBound,
  priceFor,
  type ResolvedPrice,
  worstCaseMicros,
} from '../cost/index.js';
import type { DlpVault } from '../dlp/index.js';
import { reviewSummary } from '../hitl/index.js';
import { evaluatePolicy } from '../policy/index.js';
import { requestMedia } from '../providers/capabilities.js';
import type { ChatRequest } from '../providers/index.js';
import { callFailedEvent, callSubject } from './call-failed.js';
import type { GatewayDeps } from './deps.js';
import { GatewayRefusal } from './errors.js';
import { requestTexts, withTexts } from './texts.js';
import type { GateTimings, GatewayCall } from './types.js';

export { callSubject };

/** A call that passed the policy and budget gates and may now reach its provider. */
export interface PreparedCall {
  call: GatewayCall;
  /** What the provider receives: DLP-masked, with max tokens and credentials filled in. */
  outbound: ChatRequest;
  vault: DlpVault;
  reservationId: string;
  /** The budget month the reservation counts against. */
  reservationMonth: string;
  reservedMicros: number;
  /** The input tokens the reservation covers: no provider billing within the request's limits exceeds it. */
  inputTokenBound: number;
  /** The output tokens requested from the provider, and covered by the reservation. */
  maxTokens: number;
  /** The org's cap when the call was reserved (null: none), to know whether alerts may be due. */
  capMicros: number | null;
  price: ResolvedPrice | null;
  promptSha256: string;
  timings: GateTimings;
  startedAt: number;
  /** The decision and reservation events, appended while the provider works; awaited before the outcome. */
  preAudit: Promise<unknown>;
  /**
   * When the call reserved from a budget lease: the lease, and the decision and reservation events, which
   * go at the head of the outcome append (nothing is committed before the provider call).
   */
  lease?: { leaseId: string; events: NewEvent[] };
  /** What the call's audit appends through (the run's meta stamped on, when the call joined one). */
  deps: GatewayDeps;
}

/** What an approval binds: the provider, model and the whole request as the caller sent it. */
export const callArgsSha256 = (call: GatewayCall) =>
  hash(
    'sha256',
    canonicalJson({ provider: call.request.provider, model: call.request.model, request: call.request }),
    'hex',
  );

/**
 * Uses the approval the caller names, or asks for one. An approval is bound to the exact request
 * and used once; precedents may approve at once.
 */
async function askApproval(options: {
  deps: GatewayDeps;
  call: GatewayCall;
  verdict: { reason: string; rulesMatched: string[]; dlp: Record<string, number> };
}): Promise<{ approved: boolean; requestId: string }> {
  const { deps, call, verdict } = options;
  const approvals = deps.approvals!;
  const { caller } = call;
  const argsSha256 = callArgsSha256(call);
  const consume = async (requestId: string) => {
    try {
      await approvals.consume({ org: caller.org, actor: caller.actor, requestId, argsSha256 });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await deps.store.append({
        org: caller.org,
        events: [
          callFailedEvent({
            requestId: call.requestId,
            actor: caller.actor,
            party: callParty(call),
            route: call.route,
            code: 'hitl_required',
            message,
            attempts: 0,
            latencyMs: 0,
          }),
        ],
      });
      throw new GatewayRefusal(
        'hitl_required',
        `approval ${requestId}: ${message}`,
        call.requestId,
        requestId,
      );
    }
  };
  if (call.hitlApproval) {
    await consume(call.hitlApproval);
    return { approved: true, requestId: call.hitlApproval };
  }
  const created = await approvals.request({
    org: caller.org,
    actor: caller.actor,
    target: `llm/${call.request.provider}/${call.request.model}`,
    args: { model: call.request.model, tools: (call.request.tools ?? []).map((t) => t.name) },
    argsSha256,
    summary: reviewSummary(requestTexts(call.request)),
    reason: verdict.reason,
    rulesMatched: verdict.rulesMatched,
    dlp: verdict.dlp,
    agent: caller.agent,
    timeoutSeconds: (await deps.policies.current({ org: caller.org })).compiled.hitlTimeoutSeconds,
  });
  if (created.status === 'approved') await consume(created.requestId);
  return { approved: created.status === 'approved', requestId: created.requestId };
}

export function callParty(call: GatewayCall) {
  const { caller, request } = call;
  return {
    provider: request.provider,
    model: request.model,
    ...(caller.agent ? { agent: caller.agent } : {}),
    ...(caller.apiKeyId ? { apiKeyId: caller.apiKeyId } : {}),
    ...(caller.userId ? { userId: caller.userId } : {}),
  };
}

const elapsed = (since: number) => performance.now() - since;

/**
 * The call's price: the org's own price for the model, else the price table's, else the org's default
 * price; null when none applies.
 */
function priceOf(call: GatewayCall, deps: GatewayDeps, org: OrgBudget): ResolvedPrice | null {
  const { provider, model } = call.request;
  const own = org.models[`${provider}/${model}`];
  if (own) return { ...own, key: `${provider}/${model}`, version: 'org' };
  const table = deps.prices();
  const listed =
    provider === 'demo' ? priceFor({ provider, model: 'demo', table }) : priceFor({ provider, model, table });
  if (listed) return listed;
  return org.defaultPrice ? { ...org.defaultPrice, key: 'org/default', version: 'org-default' } : null;
}

/**
 * Gates 2 and 3 of the governed call: the policy + DLP decision, then the budget reservation of the
 * worst case, from the process's budget lease when it has room (in memory; the events go with the outcome),
 * else exactly in the ledger. A refusal is appended (and awaited) before it is thrown, so every refusal is
 * audited.
 */
export async function passGates(options: { deps: GatewayDeps; call: GatewayCall }): Promise<PreparedCall> {
  const { deps, call } = options;
  const { caller, request, requestId } = call;
  const subject = callSubject(requestId);
  const actor = caller.actor;
  const startedAt = performance.now();
  const timings: GateTimings = {};

  const policy = await deps.policies.current({ org: caller.org });
  const texts = requestTexts(request);
  const media = requestMedia(request);
  const verdict = evaluatePolicy({
    policy: policy.compiled,
    request: {
      provider: request.provider,
      model: request.model,
      ...(caller.agent ? { agent: caller.agent } : {}),
      ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : {}),
      tools: (request.tools ?? []).map((t) => t.name),
      ...(media.length > 0 ? { media: media.length } : {}),
      texts,
    },
  });
  const decided: NewEvent = {
    type: 'cp.gate.policy.decided',
    subject,
    actor,
    data: {
      ...callParty(call),
      decision: verdict.decision,
      ...(verdict.code ? { code: verdict.code } : {}),
      reason: verdict.reason.slice(0, 500),
      policyVersion: policy.version,
      rulesMatched: verdict.rulesMatched.map((r) => r.slice(0, 200)),
      dlp: verdict.dlp,
      route: call.route,
    },
  };
  timings.policy = elapsed(startedAt);
  const refuse = async (events: NewEvent[], refusal: GatewayRefusal): Promise<never> => {
    await deps.store.append({ org: caller.org, events });
    throw refusal;
  };
  if (verdict.decision === 'hitl' && deps.approvals) {
    const approval = await askApproval({ deps, call, verdict });
    if (!approval.approved) {
      const message = `${verdict.reason}; approve request ${approval.requestId}, then repeat the call with x-proofpane-hitl: ${approval.requestId}`;
      return refuse([decided], new GatewayRefusal('hitl_required', message, requestId, approval.requestId));
    }
  } else if (verdict.decision !== 'allow') {
    const code = verdict.code ?? 'policy_blocked';
    return refuse([decided], new GatewayRefusal(code, verdict.reason, requestId));
  }

  let credentials: ChatRequest['credentials'];
  if (request.provider !== 'demo') {
    credentials = await deps.orgCredentials({ org: caller.org, provider: request.provider });
    if (!credentials && !deps.platformProviders.includes(request.provider)) {
      const message = `provider "${request.provider}" has no key: set one with PUT /api/provider-keys/${request.provider}`;
      return refuse(
        [
          decided,
          callFailedEvent({
            requestId,
            actor,
            party: callParty(call),
            route: call.route,
            code: 'invalid_request',
            message,
            attempts: 0,
            latencyMs: 0,
          }),
        ],
        new GatewayRefusal('invalid_request', message, requestId),
      );
    }
  }

  const budgetStarted = performance.now();
  const org = await deps.orgBudgets.get(caller.org);
  const refuseBudget = async (
    code: 'price_unknown' | 'provider_anomaly',
    message: string,
    model?: string,
  ): Promise<never> => {
    const figures = await deps.ledger.figures({ org: caller.org, now: deps.now() });
    return refuse(
      [
        decided,
        {
          type: 'cp.gate.budget.refused',
          subject,
          actor,
          data: {
            month: figures.month,
            amountMicros: 0,
            capMicros: figures.capMicros ?? 0,
            spentMicros: figures.spentMicros,
            reservedMicros: figures.reservedMicros,
            code,
            ...(model ? { model } : {}),
          },
        },
      ],
      new GatewayRefusal(code, message, requestId),
    );
  };
  if (org.openAnomalies > 0) {
    return refuseBudget(
      'provider_anomaly',
      `a provider reported usage beyond a request's limits (${org.openAnomalies} unacknowledged); an admin acknowledges it with POST /api/budget/anomalies/ack`,
    );
  }
  const limit = verdict.maxTokensLimit;
  // Always sent to the provider, so the reservation below covers every output token it may bill.
  const maxTokens =
    request.maxTokens ?? Math.min(limit ?? deps.settings.defaultMaxTokens, deps.settings.defaultMaxTokens);
  const masked = withTexts(request, verdict.maskedTexts);
  const toolSchemas = (request.tools ?? []).map((t) => JSON.stringify(t));
  // A response schema reaches the model as input too (a constrained-output prompt or a forced tool).
  const format = request.responseFormat;
  const formatSchema = format?.type === 'json-schema' ? [JSON.stringify(format)] : [];
  const price = priceOf(call, deps, org);
  const modelKey = `${request.provider}/${request.model}`;
  if (!price && org.capMicros !== null) {
    return refuseBudget(
      'price_unknown',
      `"${modelKey}" has no price, so the monthly cap cannot bound its cost: set one with PUT /api/budget/prices`,
      modelKey,
    );
  }
  const inputBound = inputTokenBound({
    texts: [...verdict.maskedTexts, ...toolSchemas, ...formatSchema],
    tools: toolSchemas.length > 0 || formatSchema.length > 0,
    mediaTokens: mediaTokenBound({ provider: request.provider, model: request.model, media }),
  });
  const amountMicros = price ? worstCaseMicros({ inputTokenBound: inputBound, maxTokens, price }) : 0;
  const now = deps.now();
  /** What both reservation paths hand the provider call and the audit. */
  const reservedCall = (month: string, capMicros: number | null) => ({
    call,
    outbound: { ...masked, maxTokens, ...(credentials ? { credentials } : {}) },
    vault: verdict.vault,
    reservationId: requestId,
    reservationMonth: month,
    reservedMicros: amountMicros,
    inputTokenBound: inputBound,
    maxTokens,
    capMicros,
    price,
    promptSha256: hash('sha256', JSON.stringify(verdict.maskedTexts), 'hex'),
    timings,
    startedAt,
    deps,
  });
  const leased = deps.leases
    ? await deps.leases.reserve({ org: caller.org, amountMicros, now, capMicros: org.capMicros })
    : null;
  if (leased) {
    timings.budget = elapsed(budgetStarted);
    const { leaseId, month, capMicros, spentMicros, reservedMicros } = leased;
    const reservedEvent: NewEvent = {
      type: 'cp.gate.budget.reserved',
      subject,
      actor,
      data: {
        month,
        reservationId: requestId,
        amountMicros,
        capMicros,
        spentMicros,
        reservedMicros,
        leaseId,
      },
    };
    return {
      ...reservedCall(month, capMicros),
      preAudit: Promise.resolve(),
      lease: { leaseId, events: [decided, reservedEvent] },
    };
  }
  const reserved = await deps.ledger.reserve({
    org: caller.org,
    reservationId: requestId,
    amountMicros,
    now,
    ttlSeconds: deps.settings.reservationTtlSeconds,
  });
  timings.budget = elapsed(budgetStarted);
  if (!reserved.ok) {
    const { month, capMicros, spentMicros, reservedMicros } = reserved;
    return refuse(
      [
        decided,
        {
          type: 'cp.gate.budget.refused',
          subject,
          actor,
          data: { month, amountMicros, capMicros, spentMicros, reservedMicros },
        },
      ],
      new GatewayRefusal(
        'budget_exceeded',
        `the monthly budget cannot cover this call's worst case (${amountMicros} µUSD; ${spentMicros} spent and ${reservedMicros} reserved of ${capMicros})`,
        requestId,
      ),
    );
  }
  const { month, capMicros, spentMicros, reservedMicros } = reserved;
  const preAudit = deps.store.append({
    org: caller.org,
    events: [
      decided,
      {
        type: 'cp.gate.budget.reserved',
        subject,
        actor,
        data: { month, reservationId: requestId, amountMicros, capMicros, spentMicros, reservedMicros },
      },
    ],
  });
  // Observed below; this keeps an early rejection from surfacing as unhandled while the provider works.
  preAudit.catch(() => {});
  return { ...reservedCall(month, capMicros), preAudit };
}
