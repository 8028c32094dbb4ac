import { hash } from 'node:crypto';
import { catalogue, type NewEvent } from '@proofpane/core';
import { describe, expect, it } from 'vitest';
import type { OrgBudget } from '../budget/index.js';
import type { PriceTable } from '../cost/index.js';
import { decisionSpec } from '../kit/decision-spec.js';
import { compilePolicy, type PolicyDocumentInput, parsePolicy } from '../policy/index.js';
import type { CallDecision, CallFacts } from './call-facts.js';
import { callVerdict } from './call-verdict.js';
import { decideCall } from './decide-call.js';
import type { GatewayCall } from './types.js';

const gate = decisionSpec(decideCall);
const actor = { kind: 'apikey', id: 'key_1' } as const;
const month = '2030-01';

const callWith = (text: string, changes: Partial<GatewayCall['request']> = {}): GatewayCall => ({
  requestId: 'req_1',
  route: 'openai.chat.completions',
  caller: { org: 'org_a', actor, apiKeyId: 'key_1' },
  stream: false,
  request: {
    provider: 'openai',
    model: 'gpt-test',
    messages: [{ role: 'user', content: text }],
    maxTokens: 100,
    ...changes,
  },
});
const mail = callWith('Write to jane@example.com about the plan.');
const secret = callWith(`Deploy with ghp_${'a1B2'.repeat(9)} please.`);

// One µUSD per input token and two per output token, so worst cases can be worked out by hand.
const prices: PriceTable = {
  version: 'spec-1',
  source: 'bundled',
  models: { 'openai/gpt-test': { inputMicrosPerMTok: 1_000_000, outputMicrosPerMTok: 2_000_000 } },
};
// 16 for the request + 34 bytes of masked text + 8 for its message: 58 input tokens; 100 output tokens.
const MAIL_WORST_CASE = 58 * 1 + 100 * 2;

const capped = (capMicros: number | null, changes: Partial<OrgBudget> = {}): OrgBudget => ({
  capMicros,
  openAnomalies: 0,
  models: {},
  defaultPrice: null,
  ...changes,
});

/** The facts a process holds before it looks anything up: the policy's verdict, prices and settings. */
function factsFor(call: GatewayCall, policy: PolicyDocumentInput = {}): CallFacts {
  return {
    policy: { version: 3, verdict: callVerdict(call, compilePolicy(parsePolicy(policy))) },
    platformProviders: ['demo'],
    prices,
    defaultMaxTokens: 4_096,
  };
}
/** …and after the approval, key and budget lookups a plain allowed call needs. */
const lookedUp = (call: GatewayCall, budget = capped(10_000)): CallFacts => ({
  ...factsFor(call),
  credentials: { apiKey: 'sk-org' },
  budget,
});

const decided = (data: Record<string, unknown>) => ({
  type: 'cp.gate.policy.decided',
  subject: 'call/req_1',
  actor,
  data: {
    provider: 'openai',
    model: 'gpt-test',
    apiKeyId: 'key_1',
    policyVersion: 3,
    route: 'openai.chat.completions',
    ...data,
  },
});
const mailAllowed = decided({
  decision: 'allow',
  reason: 'allowed by policy',
  rulesMatched: ['dlp.EMAIL:mask'],
  dlp: { EMAIL: 1 },
});
const budgetRefused = (data: Record<string, unknown>) => ({
  type: 'cp.gate.budget.refused',
  subject: 'call/req_1',
  actor,
  data: { month, ...data },
});
const reserved = (data: Record<string, unknown>) => ({
  type: 'cp.gate.budget.reserved',
  subject: 'call/req_1',
  actor,
  data: { month, reservationId: 'req_1', amountMicros: MAIL_WORST_CASE, ...data },
});

const inCatalogue = (events: readonly NewEvent[]) => {
  for (const e of events)
    expect(catalogue[e.type as keyof typeof catalogue].safeParse(e.data).success, e.type).toBe(true);
};
const refusalOf = (decision: CallDecision) => {
  if (decision.kind !== 'refusal') throw new Error(`expected a refusal, got ${decision.kind}`);
  inCatalogue(decision.refusal.events);
  return decision.refusal;
};

describe('the policy gate', () => {
  it('refuses a model the policy does not allow, recording only the decision', () => {
    const facts = factsFor(mail, { models: ['openai/gpt-other'] });
    gate
      .given(facts)
      .when(mail)
      .then({
        kind: 'refusal',
        refusal: {
          code: 'policy_blocked',
          message: 'model "openai/gpt-test" is not allowed',
          events: [
            decided({
              decision: 'block',
              code: 'policy_blocked',
              reason: 'model "openai/gpt-test" is not allowed',
              rulesMatched: ['models', 'dlp.EMAIL:mask'],
              dlp: { EMAIL: 1 },
            }),
          ],
        },
      });
  });

  it('refuses a request carrying a credential, counting it without recording it', () => {
    gate
      .given(factsFor(secret))
      .when(secret)
      .thenIt((decision) => {
        const refusal = refusalOf(decision);
        expect(refusal.code).toBe('dlp_blocked');
        expect(refusal.events).toEqual([
          decided({
            decision: 'block',
            code: 'dlp_blocked',
            reason: 'blocked sensitive data: API_SECRET ×1',
            rulesMatched: ['dlp.API_SECRET:block'],
            dlp: { API_SECRET: 1 },
          }),
        ]);
        expect(JSON.stringify(refusal.events)).not.toContain('ghp_');
      });
  });

  it('masks personal data and sends the provider only the masked text', () => {
    gate
      .given({
        ...lookedUp(mail),
        reservation: {
          from: 'ledger',
          ok: true,
          reservationId: 'req_1',
          month,
          capMicros: 10_000,
          spentMicros: 0,
          reservedMicros: MAIL_WORST_CASE,
        },
      })
      .when(mail)
      .thenIt((decision) => {
        if (decision.kind !== 'plan') throw new Error(`expected a plan, got ${decision.kind}`);
        expect(decision.plan.outbound.messages).toEqual([
          { role: 'user', content: 'Write to [EMAIL_1] about the plan.' },
        ]);
        expect(decision.plan.vault).toEqual({ '[EMAIL_1]': 'jane@example.com' });
        expect(JSON.stringify(decision.plan.recordNow)).not.toContain('jane@example.com');
      });
  });
});

describe('approval', () => {
  const hitlPolicy = { dlp: { EMAIL: 'hitl' } } as const;
  const askedFor = decided({
    decision: 'hitl',
    code: 'hitl_required',
    reason: 'sensitive data needs human approval: EMAIL ×1',
    rulesMatched: ['dlp.EMAIL:hitl'],
    dlp: { EMAIL: 1 },
  });

  it('asks for an approval before anything else is looked up', () => {
    gate
      .given(factsFor(mail, hitlPolicy))
      .when(mail)
      .then({ kind: 'needs', need: { fact: 'approval' } });
  });

  it('refuses while the approval is pending, naming the request to approve', () => {
    const facts: CallFacts = {
      ...factsFor(mail, hitlPolicy),
      approval: { status: 'pending', requestId: 'hitl_9' },
    };
    gate
      .given(facts)
      .when(mail)
      .then({
        kind: 'refusal',
        refusal: {
          code: 'hitl_required',
          message:
            'sensitive data needs human approval: EMAIL ×1; approve request hitl_9, then repeat the call with x-proofpane-hitl: hitl_9',
          events: [askedFor],
          hitlRequestId: 'hitl_9',
        },
      });
  });

  it('records an approval that cannot be used as the call failing, not as a decision', () => {
    const facts: CallFacts = {
      ...factsFor(mail, hitlPolicy),
      approval: { status: 'unusable', requestId: 'hitl_9', reason: 'approval already used' },
    };
    gate
      .given(facts)
      .when(mail)
      .thenIt((decision) => {
        expect(refusalOf(decision)).toEqual({
          code: 'hitl_required',
          message: 'approval hitl_9: approval already used',
          events: [
            {
              type: 'cp.llm.call.failed',
              subject: 'call/req_1',
              actor,
              data: {
                provider: 'openai',
                model: 'gpt-test',
                apiKeyId: 'key_1',
                route: 'openai.chat.completions',
                code: 'hitl_required',
                message: 'approval already used',
                attempts: 0,
                latencyMs: 0,
              },
            },
          ],
          hitlRequestId: 'hitl_9',
        });
      });
  });

  it('refuses as the policy says when nobody can be asked', () => {
    const facts: CallFacts = { ...factsFor(mail, hitlPolicy), approval: { status: 'unavailable' } };
    gate
      .given(facts)
      .when(mail)
      .then({
        kind: 'refusal',
        refusal: {
          code: 'hitl_required',
          message: 'sensitive data needs human approval: EMAIL ×1',
          events: [askedFor],
        },
      });
  });

  it('goes on to the provider key once approved, and records the decision as asked', () => {
    const facts: CallFacts = {
      ...factsFor(mail, hitlPolicy),
      approval: { status: 'approved', requestId: 'hitl_9' },
    };
    gate
      .given(facts)
      .when(mail)
      .then({ kind: 'needs', need: { fact: 'credentials' } });
    gate
      .given({
        ...facts,
        credentials: null,
        platformProviders: ['openai'],
        budget: capped(null),
        reservation: {
          from: 'ledger',
          ok: true,
          reservationId: 'req_1',
          month,
          capMicros: null,
          spentMicros: 0,
          reservedMicros: 0,
        },
      })
      .when(mail)
      .thenIt((decision) => {
        if (decision.kind !== 'plan') throw new Error(`expected a plan, got ${decision.kind}`);
        expect(decision.plan.recordNow[0]).toEqual(askedFor);
      });
  });
});

describe('the provider key', () => {
  it('refuses a provider neither the org nor the platform holds a key for', () => {
    const message = 'provider "openai" has no key: set one with PUT /api/provider-keys/openai';
    gate
      .given({ ...factsFor(mail), credentials: null })
      .when(mail)
      .thenIt((decision) => {
        const refusal = refusalOf(decision);
        expect(refusal).toMatchObject({ code: 'invalid_request', message });
        expect(refusal.events.map((e) => e.type)).toEqual(['cp.gate.policy.decided', 'cp.llm.call.failed']);
        expect(refusal.events[1]?.data).toMatchObject({ code: 'invalid_request', message, attempts: 0 });
      });
  });

  it('looks no key up for the demo provider, and reads the budget next', () => {
    const demo = callWith('hello', { provider: 'demo', model: 'demo' });
    gate
      .given(factsFor(demo))
      .when(demo)
      .then({ kind: 'needs', need: { fact: 'budget' } });
  });
});

describe('the budget gate', () => {
  it('names the worst case to reserve: the masked input bound and every output token', () => {
    gate
      .given(lookedUp(mail))
      .when(mail)
      .then({
        kind: 'needs',
        need: { fact: 'reservation', amountMicros: MAIL_WORST_CASE, capMicros: 10_000 },
      });
  });

  it('reserves the output the policy allows when the request names no max tokens', () => {
    const open = callWith('Write to jane@example.com about the plan.', { maxTokens: undefined });
    gate
      .given({ ...lookedUp(open), policy: factsFor(open, { maxTokens: 50 }).policy })
      .when(open)
      .then({ kind: 'needs', need: { fact: 'reservation', amountMicros: 58 + 50 * 2, capMicros: 10_000 } });
  });

  it('prices the model at the org’s own price before the table’s', () => {
    const own = capped(10_000, {
      models: { 'openai/gpt-test': { inputMicrosPerMTok: 0, outputMicrosPerMTok: 10_000_000 } },
    });
    gate
      .given(lookedUp(mail, own))
      .when(mail)
      .then({ kind: 'needs', need: { fact: 'reservation', amountMicros: 100 * 10, capMicros: 10_000 } });
  });

  it('refuses while a provider anomaly is unacknowledged, after reading the month’s figures', () => {
    const facts = lookedUp(mail, capped(10_000, { openAnomalies: 2 }));
    gate
      .given(facts)
      .when(mail)
      .then({ kind: 'needs', need: { fact: 'figures' } });
    gate
      .given({ ...facts, figures: { month, capMicros: null, spentMicros: 40, reservedMicros: 7 } })
      .when(mail)
      .thenIt((decision) => {
        const refusal = refusalOf(decision);
        expect(refusal.code).toBe('provider_anomaly');
        expect(refusal.message).toContain('2 unacknowledged');
        expect(refusal.events).toEqual([
          mailAllowed,
          budgetRefused({
            amountMicros: 0,
            capMicros: 0,
            spentMicros: 40,
            reservedMicros: 7,
            code: 'provider_anomaly',
          }),
        ]);
      });
  });

  it('refuses an unpriced model under a cap, which could not bound its cost', () => {
    const unpriced = callWith('hello', { model: 'gpt-unlisted' });
    gate
      .given({
        ...lookedUp(unpriced),
        figures: { month, capMicros: 10_000, spentMicros: 0, reservedMicros: 0 },
      })
      .when(unpriced)
      .thenIt((decision) => {
        const refusal = refusalOf(decision);
        expect(refusal.code).toBe('price_unknown');
        expect(refusal.events[1]).toEqual(
          budgetRefused({
            amountMicros: 0,
            capMicros: 10_000,
            spentMicros: 0,
            reservedMicros: 0,
            code: 'price_unknown',
            model: 'openai/gpt-unlisted',
          }),
        );
      });
  });

  it('lets an unpriced model through without a cap, reserving nothing', () => {
    const unpriced = callWith('hello', { model: 'gpt-unlisted' });
    gate
      .given(lookedUp(unpriced, capped(null)))
      .when(unpriced)
      .then({ kind: 'needs', need: { fact: 'reservation', amountMicros: 0, capMicros: null } });
  });

  it('refuses when the month is spent: budget exhausted', () => {
    const facts: CallFacts = {
      ...lookedUp(mail),
      reservation: {
        from: 'ledger',
        ok: false,
        month,
        capMicros: 10_000,
        spentMicros: 10_000,
        reservedMicros: 0,
      },
    };
    gate
      .given(facts)
      .when(mail)
      .then({
        kind: 'refusal',
        refusal: {
          code: 'budget_exceeded',
          message: `the monthly budget cannot cover this call's worst case (${MAIL_WORST_CASE} µUSD; 10000 spent and 0 reserved of 10000)`,
          events: [
            mailAllowed,
            budgetRefused({
              amountMicros: MAIL_WORST_CASE,
              capMicros: 10_000,
              spentMicros: 10_000,
              reservedMicros: 0,
            }),
          ],
        },
      });
  });

  it('refuses a worst case above the headroom even though spend is under the cap: the cap is hard', () => {
    const facts: CallFacts = {
      ...lookedUp(mail),
      reservation: {
        from: 'ledger',
        ok: false,
        month,
        capMicros: 10_000,
        spentMicros: 9_800,
        reservedMicros: 0,
      },
    };
    gate
      .given(facts)
      .when(mail)
      .thenIt((decision) => {
        const refusal = refusalOf(decision);
        expect(refusal.code).toBe('budget_exceeded');
        expect(refusal.events[1]?.data).toEqual({
          month,
          amountMicros: MAIL_WORST_CASE,
          capMicros: 10_000,
          spentMicros: 9_800,
          reservedMicros: 0,
        });
      });
  });
});

describe('the plan of an allowed call', () => {
  const outbound = {
    provider: 'openai',
    model: 'gpt-test',
    messages: [{ role: 'user', content: 'Write to [EMAIL_1] about the plan.' }],
    maxTokens: 100,
    credentials: { apiKey: 'sk-org' },
  };
  const plan = (reservation: Record<string, unknown>) => ({
    outbound,
    vault: { '[EMAIL_1]': 'jane@example.com' },
    price: {
      inputMicrosPerMTok: 1_000_000,
      outputMicrosPerMTok: 2_000_000,
      key: 'openai/gpt-test',
      version: 'spec-1',
    },
    promptSha256: hash('sha256', JSON.stringify(['Write to [EMAIL_1] about the plan.']), 'hex'),
    reservation: {
      id: 'req_1',
      month,
      amountMicros: MAIL_WORST_CASE,
      inputTokenBound: 58,
      maxTokens: 100,
      capMicros: 10_000,
      ...reservation,
    },
  });

  it('records decision and reservation at once when the ledger reserved exactly', () => {
    gate
      .given({
        ...lookedUp(mail),
        reservation: {
          from: 'ledger',
          ok: true,
          reservationId: 'req_1',
          month,
          capMicros: 10_000,
          spentMicros: 500,
          reservedMicros: 758,
        },
      })
      .when(mail)
      .thenIt((decision) => {
        if (decision.kind !== 'plan') throw new Error(`expected a plan, got ${decision.kind}`);
        const events = [mailAllowed, reserved({ capMicros: 10_000, spentMicros: 500, reservedMicros: 758 })];
        expect(decision.plan).toEqual({
          ...plan({}),
          recordNow: events,
          recordWithOutcome: [],
        });
        inCatalogue(decision.plan.recordNow);
      });
  });

  it('carries decision and reservation with the outcome when a lease reserved in memory', () => {
    gate
      .given({
        ...lookedUp(mail),
        reservation: {
          from: 'lease',
          leaseId: 'lease_1',
          month,
          capMicros: 10_000,
          spentMicros: 500,
          reservedMicros: 2_500,
        },
      })
      .when(mail)
      .thenIt((decision) => {
        if (decision.kind !== 'plan') throw new Error(`expected a plan, got ${decision.kind}`);
        const events = [
          mailAllowed,
          reserved({ capMicros: 10_000, spentMicros: 500, reservedMicros: 2_500, leaseId: 'lease_1' }),
        ];
        expect(decision.plan).toEqual({
          ...plan({ leaseId: 'lease_1' }),
          recordNow: [],
          recordWithOutcome: events,
        });
        inCatalogue(decision.plan.recordWithOutcome);
      });
  });

  it('hashes the masked prompt, so the same masked texts give the same hash', () => {
    const other = callWith('Write to bob@example.org about the plan.');
    const facts = (call: GatewayCall): CallFacts => ({
      ...lookedUp(call),
      reservation: {
        from: 'lease',
        leaseId: 'lease_1',
        month,
        capMicros: 10_000,
        spentMicros: 0,
        reservedMicros: 0,
      },
    });
    const hashOf = (call: GatewayCall) => {
      const decision = decideCall(call, facts(call));
      return decision.kind === 'plan' ? decision.plan.promptSha256 : '';
    };
    expect(hashOf(mail)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOf(other)).toBe(hashOf(mail));
    expect(hashOf(callWith('Write to [EMAIL_1] about the dinner.'))).not.toBe(hashOf(mail));
  });
});
