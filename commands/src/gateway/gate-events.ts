import type { EventData, NewEvent } from '@proofpane/core';
import type { PolicyEvaluation } from '../policy/index.js';
import { callSubject } from './call-failed.js';
import type { GatewayCall } from './types.js';

/** Who a call was for, as every event about it names them. */
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

/** The one builder of `cp.gate.policy.decided`: the verdict's counts and rules, never the texts it read. */
export function policyDecidedEvent(options: {
  call: GatewayCall;
  policyVersion: number;
  verdict: Pick<PolicyEvaluation, 'decision' | 'code' | 'reason' | 'rulesMatched' | 'dlp'>;
}): NewEvent<'cp.gate.policy.decided', EventData<'cp.gate.policy.decided'>> {
  const { call, verdict } = options;
  return {
    type: 'cp.gate.policy.decided',
    subject: callSubject(call.requestId),
    actor: call.caller.actor,
    data: {
      ...callParty(call),
      decision: verdict.decision,
      ...(verdict.code ? { code: verdict.code } : {}),
      reason: verdict.reason.slice(0, 500),
      policyVersion: options.policyVersion,
      rulesMatched: verdict.rulesMatched.map((r) => r.slice(0, 200)),
      dlp: verdict.dlp,
      route: call.route,
    },
  };
}

/** The one builder of `cp.gate.budget.reserved`, for an exact reservation and for one taken from a lease. */
export function budgetReservedEvent(
  call: GatewayCall,
  data: EventData<'cp.gate.budget.reserved'>,
): NewEvent<'cp.gate.budget.reserved', EventData<'cp.gate.budget.reserved'>> {
  return {
    type: 'cp.gate.budget.reserved',
    subject: callSubject(call.requestId),
    actor: call.caller.actor,
    data,
  };
}

/** The one builder of `cp.gate.budget.refused`: the cap refused the worst case, or the call could not be priced. */
export function budgetRefusedEvent(
  call: GatewayCall,
  data: EventData<'cp.gate.budget.refused'>,
): NewEvent<'cp.gate.budget.refused', EventData<'cp.gate.budget.refused'>> {
  return {
    type: 'cp.gate.budget.refused',
    subject: callSubject(call.requestId),
    actor: call.caller.actor,
    data,
  };
}
