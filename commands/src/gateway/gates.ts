import { obtainApproval } from './approval.js';
import type { CallFacts, CallNeed, CallPlan } from './call-facts.js';
import { callVerdict } from './call-verdict.js';
import { decideCall } from './decide-call.js';
import type { GatewayDeps } from './deps.js';
import { GatewayRefusal } from './errors.js';
import type { GateTimings, GatewayCall } from './types.js';

/** A call that passed its gates and may now reach its provider. */
export interface PreparedCall {
  call: GatewayCall;
  plan: CallPlan;
  timings: GateTimings;
  startedAt: number;
  /** `plan.recordNow`, appended while the provider works; awaited before the outcome. */
  preAudit: Promise<unknown>;
  /** What the call's audit appends through (the run's meta stamped on, when the call joined one). */
  deps: GatewayDeps;
}

const elapsed = (since: number) => performance.now() - since;

/**
 * The gates of the governed call as a process: it looks up what `decideCall` asks for (the approval, the
 * org's key, its budget, the month's figures) and makes the reservation it names, from the process's
 * budget lease when it has room (in memory; the events go with the outcome), else exactly in the ledger.
 * A refusal is appended (and awaited) before it is thrown, so every refusal is audited.
 */
export async function passGates(options: { deps: GatewayDeps; call: GatewayCall }): Promise<PreparedCall> {
  const { deps, call } = options;
  const { org } = call.caller;
  const startedAt = performance.now();
  const timings: GateTimings = {};
  const policy = await deps.policies.current({ org });
  const verdict = callVerdict(call, policy.compiled);
  timings.policy = elapsed(startedAt);

  let budgetStarted = 0;
  const lookUp = async (need: CallNeed): Promise<Partial<CallFacts>> => {
    switch (need.fact) {
      case 'approval': {
        const approvals = deps.approvals!;
        const { hitlTimeoutSeconds } = policy.compiled;
        return {
          approval: await obtainApproval({ approvals, call, verdict, timeoutSeconds: hitlTimeoutSeconds }),
        };
      }
      case 'credentials':
        return { credentials: (await deps.orgCredentials({ org, provider: call.request.provider })) ?? null };
      case 'budget':
        budgetStarted = performance.now();
        return { budget: await deps.orgBudgets.get(org) };
      case 'figures':
        return { figures: await deps.ledger.figures({ org, now: deps.now() }) };
      case 'reservation': {
        const { amountMicros, capMicros } = need;
        const now = deps.now();
        const leased = deps.leases ? await deps.leases.reserve({ org, amountMicros, now, capMicros }) : null;
        if (leased) {
          timings.budget = elapsed(budgetStarted);
          return { reservation: { from: 'lease', ...leased } };
        }
        const reserved = await deps.ledger.reserve({
          org,
          reservationId: call.requestId,
          amountMicros,
          now,
          ttlSeconds: deps.settings.reservationTtlSeconds,
        });
        timings.budget = elapsed(budgetStarted);
        return { reservation: { from: 'ledger', ...reserved } };
      }
      default:
        return need satisfies never;
    }
  };

  let facts: CallFacts = {
    policy: { version: policy.version, verdict },
    platformProviders: deps.platformProviders,
    prices: deps.prices(),
    defaultMaxTokens: deps.settings.defaultMaxTokens,
    ...(deps.approvals ? {} : { approval: { status: 'unavailable' } }),
  };
  for (;;) {
    const decision = decideCall(call, facts);
    if (decision.kind === 'needs') {
      facts = { ...facts, ...(await lookUp(decision.need)) };
      continue;
    }
    if (decision.kind === 'refusal') {
      const { code, message, events, hitlRequestId } = decision.refusal;
      await deps.store.append({ org, events });
      throw new GatewayRefusal(code, message, call.requestId, hitlRequestId);
    }
    const { plan } = decision;
    const preAudit =
      plan.recordNow.length > 0 ? deps.store.append({ org, events: plan.recordNow }) : Promise.resolve();
    // Observed before the outcome; this keeps an early rejection from surfacing as unhandled meanwhile.
    preAudit.catch(() => {});
    return { call, plan, timings, startedAt, preAudit, deps };
  }
}
