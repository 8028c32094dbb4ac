import { afterEach, describe, expect, it } from 'vitest';
import type { ApproverState, InboxItem } from '../shared/contract.js';
import { FakeHitlServer } from '../testing/fake-hitl-server.js';
import { fakeSafeStorage, ManualClock, memoryFile } from '../testing/fakes.js';
import { Approver, TIMED_OUT_NOTE } from './approver.js';
import { eventSourceFactory } from './sse-connection.js';
import { TokenVault } from './token-vault.js';

function setup() {
  const server = new FakeHitlServer();
  const clock = new ManualClock();
  server.now = clock.now;
  server.addOrg('org_acme', 'Acme');
  server.addOrg('org_globex', 'Globex');
  const arrived: InboxItem[][] = [];
  let state: ApproverState | undefined;
  const approver = new Approver({
    vault: new TokenVault({ safeStorage: fakeSafeStorage(), platform: 'linux', file: memoryFile() }),
    fetch: server.fetch,
    eventSource: eventSourceFactory(server.fetch),
    scheduler: clock,
    now: clock.now,
    countdownSeconds: 60,
    onArrived: (items) => arrived.push(items),
    onChange: (next) => {
      state = next;
    },
  });
  const pair = async (org: string) => {
    const outcome = await approver.pair({
      serverUrl: server.url,
      code: server.pairingCode(org),
      name: 'Laptop',
    });
    expect(outcome.ok).toBe(true);
    await expect.poll(() => state?.accounts.find((a) => a.org === org)?.status).toBe('connected');
  };
  const pendingIds = () => state?.pending.map((item) => item.request.id) ?? [];
  return { server, clock, approver, arrived, pair, pendingIds, state: () => state };
}

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function withSetup() {
  const context = setup();
  cleanup = () => {
    context.approver.stop();
    context.server.close();
  };
  return context;
}

describe('Approver', () => {
  it('keeps one inbox across two paired orgs, each with its own token', async () => {
    const { server, pair, pendingIds, state, arrived } = withSetup();
    const acme = server.request('org_acme', { summary: 'Send invoice mail' });
    await pair('org_acme');
    await pair('org_globex');
    const globex = server.request('org_globex', { summary: 'Run migration', risk: 'high' });
    await expect.poll(pendingIds).toHaveLength(2);
    expect(new Set(pendingIds())).toEqual(new Set([acme.id, globex.id]));
    expect(state()?.pending.find((i) => i.request.id === globex.id)?.orgName).toBe('Globex');
    expect(arrived.flat().map((item) => item.request.id)).toEqual(
      expect.arrayContaining([acme.id, globex.id]),
    );
  });

  it('closes a request another approver resolved and records who did', async () => {
    const { server, pair, pendingIds, state, clock } = withSetup();
    await pair('org_acme');
    const request = server.request('org_acme');
    await expect.poll(pendingIds).toEqual([request.id]);
    const timersBefore = clock.pending;
    server.resolveElsewhere('org_acme', request.id, 'approve', 'usr_bob');
    await expect.poll(pendingIds).toEqual([]);
    await expect
      .poll(() => state()?.activity[0])
      .toMatchObject({ id: request.id, by: 'usr_bob', byMe: false });
    expect(state()?.activity[0]?.status).toBe('approved');
    expect(clock.pending).toBe(timersBefore - 1);
  });

  it('sends Approve & remember and records the decision as mine', async () => {
    const { server, approver, pair, pendingIds, state } = withSetup();
    await pair('org_acme');
    const request = server.request('org_acme');
    await expect.poll(pendingIds).toEqual([request.id]);
    const outcome = await approver.resolve({
      org: 'org_acme',
      id: request.id,
      decision: 'approve',
      remember: true,
    });
    expect(outcome).toEqual({ ok: true });
    expect(server.resolveCalls).toEqual([
      expect.objectContaining({ id: request.id, body: { decision: 'approve', remember: true } }),
    ]);
    expect(pendingIds()).toEqual([]);
    expect(state()?.activity[0]).toMatchObject({ id: request.id, status: 'approved', byMe: true });
  });

  it('reports a conflict when someone else resolved first, and drops the request', async () => {
    const { server, approver, pair, pendingIds } = withSetup();
    await pair('org_acme');
    const request = server.request('org_acme');
    await expect.poll(pendingIds).toEqual([request.id]);
    server.resolveElsewhere('org_acme', request.id, 'deny');
    const outcome = await approver.resolve({ org: 'org_acme', id: request.id, decision: 'approve' });
    expect(outcome.ok ? 'ok' : outcome.code).toBe('already_resolved');
    await expect.poll(pendingIds).toEqual([]);
  });

  it('denies by default when the 60 s countdown runs out', async () => {
    const { server, clock, pair, pendingIds, state } = withSetup();
    await pair('org_acme');
    const request = server.request('org_acme');
    await expect.poll(pendingIds).toEqual([request.id]);
    expect(Date.parse(state()?.pending[0]?.deadline ?? '') - clock.now().getTime()).toBe(60_000);
    clock.advance(59_000);
    expect(server.resolveCalls).toEqual([]);
    clock.advance(1_000);
    await expect.poll(() => server.status('org_acme', request.id)).toBe('denied');
    expect(server.resolveCalls[0]?.body).toEqual({ decision: 'deny', note: TIMED_OUT_NOTE });
    await expect.poll(() => state()?.activity[0]).toMatchObject({ id: request.id, byMe: true });
  });

  it('never lets the countdown outlast the request', async () => {
    const { server, clock, pair, pendingIds, state } = withSetup();
    await pair('org_acme');
    const expiresAt = new Date(clock.now().getTime() + 10_000).toISOString();
    server.request('org_acme', { expiresAt });
    await expect.poll(pendingIds).toHaveLength(1);
    expect(state()?.pending[0]?.deadline).toBe(expiresAt);
  });

  it('asks to re-pair when the server revokes the token, and clears that org from the inbox', async () => {
    const { server, approver, pair, pendingIds, state } = withSetup();
    await pair('org_acme');
    await pair('org_globex');
    const acme = server.request('org_acme');
    const globex = server.request('org_globex');
    await expect.poll(pendingIds).toHaveLength(2);
    server.revokeAll('org_acme');
    const outcome = await approver.resolve({ org: 'org_acme', id: acme.id, decision: 'approve' });
    expect(outcome.ok ? 'ok' : outcome.code).toBe('token_rejected');
    expect(state()?.accounts.find((a) => a.org === 'org_acme')?.status).toBe('repair');
    expect(pendingIds()).toEqual([globex.id]);
  });

  it('does not deny twice when the countdown fires while a click is in flight', async () => {
    const { server, approver, pair, pendingIds } = withSetup();
    await pair('org_acme');
    const request = server.request('org_acme');
    await expect.poll(pendingIds).toEqual([request.id]);
    const [first, second] = await Promise.all([
      approver.resolve({ org: 'org_acme', id: request.id, decision: 'deny' }),
      approver.resolve({ org: 'org_acme', id: request.id, decision: 'deny', timedOut: true }),
    ]);
    expect(first.ok && second.ok).toBe(true);
    expect(server.resolveCalls).toHaveLength(1);
  });
});

describe('Approver paging', () => {
  it('follows the server cursor so no pending request is missed', async () => {
    const { server, pair, pendingIds } = withSetup();
    for (let i = 0; i < 205; i += 1) server.request('org_acme');
    await pair('org_acme');
    await expect.poll(pendingIds).toHaveLength(205);
  });
});

describe('Approver after a revocation in the console', () => {
  it('shows the org as unpaired once its stream ends and the token is refused, and stops retrying', async () => {
    const { server, clock, pair, pendingIds, state } = withSetup();
    await pair('org_acme');
    await pair('org_globex');
    const globex = server.request('org_globex');
    server.request('org_acme');
    await expect.poll(pendingIds).toHaveLength(2);

    server.revokeAndDisconnect('org_acme');
    await expect
      .poll(() => state()?.accounts.find((a) => a.org === 'org_acme')?.status, { timeout: 10_000 })
      .toBe('repair');
    expect(state()?.accounts.find((a) => a.org === 'org_acme')?.message).toMatch(
      /^Unpaired: .*Pair this org again/,
    );
    expect(state()?.accounts.find((a) => a.org === 'org_globex')?.status).toBe('connected');
    expect(pendingIds()).toEqual([globex.id]);

    const asked = server.streamRequests;
    clock.advance(3_600_000);
    expect(server.streamRequests).toBe(asked);
    expect(state()?.accounts.find((a) => a.org === 'org_acme')?.status).toBe('repair');
  });
});
