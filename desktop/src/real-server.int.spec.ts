import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Approver } from './main/approver.js';
import { eventSourceFactory } from './main/sse-connection.js';
import { TokenVault } from './main/token-vault.js';
import type { ApproverState } from './shared/contract.js';
import { fakeSafeStorage, memoryFile } from './testing/fakes.js';

interface Injected {
  statusCode: number;
  json(): Record<string, unknown>;
}
interface ServerApp {
  inject(options: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    payload?: object;
  }): Promise<Injected>;
  listen(options: { port: number; host: string }): Promise<string>;
}
interface TestApp {
  app: ServerApp;
  dispose(): Promise<void>;
}
interface IdentityTesting {
  createIdentityTestApp(options: { driver: 'pglite' }): Promise<TestApp>;
  registerAccount(app: ServerApp): Promise<{ token: string; userId: string; org: string }>;
}

// The server is another workspace: loaded at run time so this package's typecheck stays its own.
const identityTesting = '../../server/src/identity/testing/identity-test-app.js';

describe('desktop approver against the real server', () => {
  let t: TestApp;
  let base: string;
  let owner: { token: string; userId: string; org: string };
  let approver: Approver;
  let state: ApproverState | undefined;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const toolCall = (content: string, hitl?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/tools/call',
      headers: { ...auth(owner.token), ...(hitl ? { 'x-proofpane-hitl': hitl } : {}) },
      payload: { tool: 'write', args: { path: 'notes.md', content } },
    });
  const pendingIds = () => state?.pending.map((item) => item.request.id) ?? [];

  beforeAll(async () => {
    const testing = (await import(identityTesting)) as IdentityTesting;
    t = await testing.createIdentityTestApp({ driver: 'pglite' });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    owner = await testing.registerAccount(t.app);
    const policy = await t.app.inject({
      method: 'PUT',
      url: '/api/policy',
      headers: auth(owner.token),
      payload: { hitl: { tools: ['write'], timeoutSeconds: 600 } },
    });
    expect(policy.statusCode).toBe(200);
    approver = new Approver({
      vault: new TokenVault({ safeStorage: fakeSafeStorage(), platform: 'linux', file: memoryFile() }),
      fetch: (input, init) => fetch(input, init),
      eventSource: eventSourceFactory((input, init) => fetch(input, init)),
      scheduler: {
        setTimeout: (run, ms) => setTimeout(run, ms),
        clearTimeout: (h) => clearTimeout(h as never),
      },
      now: () => new Date(),
      countdownSeconds: 3600,
      onArrived: () => {},
      onChange: (next) => {
        state = next;
      },
    });
  });

  afterAll(async () => {
    approver?.stop();
    await t?.dispose();
  });

  it('pairs, is woken by SSE, approves a call, and drops what another approver resolved', async () => {
    const code = (
      await t.app.inject({
        method: 'POST',
        url: '/api/hitl/approvers/pairing-codes',
        headers: auth(owner.token),
      })
    ).json()['code'] as string;
    const paired = await approver.pair({ serverUrl: base, code, name: 'Desk' });
    expect(paired.ok).toBe(true);
    await expect.poll(() => state?.accounts[0]?.status).toBe('connected');
    const again = await approver.pair({ serverUrl: base, code, name: 'Desk' });
    expect(again.ok ? 'ok' : again.code).toBe('pairing_code_spent');

    const first = await toolCall('approve me');
    expect(first.json()['code']).toBe('hitl_required');
    const firstId = first.json()['hitlRequestId'] as string;
    await expect.poll(pendingIds).toEqual([firstId]);
    expect(await approver.resolve({ org: owner.org, id: firstId, decision: 'approve' })).toEqual({
      ok: true,
    });
    expect((await toolCall('approve me', firstId)).statusCode).toBe(200);

    const secondCall = await toolCall('someone else decides');
    expect(secondCall.json()).toMatchObject({ code: 'hitl_required' });
    const second = secondCall.json()['hitlRequestId'] as string;
    await expect.poll(pendingIds).toEqual([second]);
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: `/api/hitl/${second}/resolve`,
      headers: auth(owner.token),
      payload: { decision: 'deny' },
    });
    expect(elsewhere.statusCode).toBe(200);
    await expect.poll(pendingIds).toEqual([]);
    await expect.poll(() => state?.activity[0]).toMatchObject({ id: second, status: 'denied', byMe: false });
  });
});
