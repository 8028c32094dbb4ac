import type { ApproverApi, ApproverState, InboxItem, Outcome, ResolveInput } from '../src/shared/contract.js';

export interface Scenario {
  countdownSeconds: number;
  items: { org: string; orgName: string; id: string; summary: string; countdownMs: number }[];
  pairOutcome?: Outcome;
  /** The paired org's connection state; `repair` once its approver was revoked. */
  accountStatus?: 'connected' | 'repair';
}

/**
 * Runs inside the page before the renderer script (via `page.addInitScript`), standing in for the
 * preload bridge: it records every call and lets the spec push state as the main process would.
 * It must not reference anything outside its own body.
 */
export function installFakePreload(scenario: Scenario): void {
  const calls: { method: string; input: unknown }[] = [];
  const listeners: ((state: ApproverState) => void)[] = [];
  const item = (entry: Scenario['items'][number]): InboxItem => ({
    org: entry.org,
    orgName: entry.orgName,
    deadline: new Date(Date.now() + entry.countdownMs).toISOString(),
    request: {
      id: entry.id,
      kind: 'tool_call',
      subject: `hitl/${entry.id}`,
      target: 'payments.transfer',
      risk: 'high',
      summary: entry.summary,
      reason: 'payments need a person',
      context: { tool: 'payments.transfer', amount: '1200 EUR' },
      argsSha256: '0'.repeat(64),
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 600_000).toISOString(),
      status: 'pending',
      consumed: false,
    },
  });
  let state: ApproverState = {
    accounts: [
      {
        org: 'org_acme',
        orgName: 'Acme',
        serverUrl: 'https://pp.example.com',
        expiresAt: new Date(Date.now() + 90 * 86_400_000).toISOString(),
        status: scenario.accountStatus ?? 'connected',
        ...(scenario.accountStatus === 'repair'
          ? { message: 'Unpaired: an admin revoked this approver. Pair this org again with a new code.' }
          : {}),
      },
    ],
    pending: scenario.items.map(item),
    activity: [],
    countdownSeconds: scenario.countdownSeconds,
  };
  const push = (next: ApproverState) => {
    state = next;
    for (const listener of listeners) listener(state);
  };
  const settle = (org: string, id: string, status: 'approved' | 'denied', by: string, byMe: boolean) => {
    const found = state.pending.find((p) => p.org === org && p.request.id === id);
    if (!found) return;
    push({
      ...state,
      pending: state.pending.filter((p) => p !== found),
      activity: [
        {
          org,
          orgName: found.orgName,
          id,
          summary: found.request.summary,
          status,
          by,
          byMe,
          auto: false,
          at: new Date().toISOString(),
        },
        ...state.activity,
      ],
    });
  };
  const api: ApproverApi = {
    getState: async () => state,
    onState: (listener) => {
      listeners.push(listener);
      return () => listeners.splice(listeners.indexOf(listener), 1);
    },
    resolve: async (input: ResolveInput) => {
      calls.push({ method: 'resolve', input });
      setTimeout(
        () => settle(input.org, input.id, input.decision === 'approve' ? 'approved' : 'denied', 'you', true),
        0,
      );
      return { ok: true };
    },
    pair: async (input) => {
      calls.push({ method: 'pair', input });
      return scenario.pairOutcome ?? { ok: true, message: 'Paired.' };
    },
    unpair: async (org) => {
      calls.push({ method: 'unpair', input: org });
      return { ok: true };
    },
  };
  const target = window as unknown as Record<string, unknown>;
  target['proofpane'] = Object.freeze(api);
  target['__calls'] = calls;
  target['__resolveElsewhere'] = (org: string, id: string) => settle(org, id, 'approved', 'usr_bob', false);
}
