import { describe, expect, it, vi } from 'vitest';
import { type ApproverState, IPC } from '../shared/contract.js';
import { type IpcInvokeEventLike, registerIpcHandlers } from './ipc.js';

const PAGE = 'file:///opt/Proofpane/dist/renderer/index.html';
const STATE: ApproverState = { accounts: [], pending: [], activity: [], countdownSeconds: 60 };

function setup() {
  const handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => unknown>();
  const approver = {
    state: vi.fn(() => STATE),
    resolve: vi.fn(async () => ({ ok: true as const })),
    pair: vi.fn(async () => ({ ok: true as const })),
    unpair: vi.fn(async () => ({ ok: true as const })),
  };
  registerIpcHandlers({
    ipcMain: { handle: (channel, listener) => handlers.set(channel, listener) },
    approver,
    trustedUrl: PAGE,
  });
  const invoke = (channel: string, url: string, arg?: unknown, parent: unknown = null) => {
    const handler = handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler({ senderFrame: { url, parent } }, arg);
  };
  return { approver, handlers, invoke };
}

describe('IPC handlers', () => {
  it('registers every channel of the preload API', () => {
    const { handlers } = setup();
    expect([...handlers.keys()].sort()).toEqual([IPC.getState, IPC.pair, IPC.resolve, IPC.unpair].sort());
  });

  it('serves its own renderer', async () => {
    const { approver, invoke } = setup();
    expect(invoke(IPC.getState, PAGE)).toBe(STATE);
    await invoke(IPC.resolve, PAGE, { org: 'org_a', id: 'hitl_1', decision: 'approve', remember: true });
    expect(approver.resolve).toHaveBeenCalledWith({
      org: 'org_a',
      id: 'hitl_1',
      decision: 'approve',
      remember: true,
    });
  });

  it('refuses other pages, other files and sub-frames before touching the core', () => {
    const { approver, invoke } = setup();
    const input = { org: 'org_a', id: 'hitl_1', decision: 'approve' };
    expect(() => invoke(IPC.resolve, 'https://evil.example/', input)).toThrow(/untrusted/);
    expect(() => invoke(IPC.resolve, 'file:///home/me/Downloads/index.html', input)).toThrow(/untrusted/);
    expect(() => invoke(IPC.resolve, PAGE, input, { url: PAGE })).toThrow(/untrusted/);
    expect(() => invoke(IPC.getState, 'https://evil.example/')).toThrow(/untrusted/);
    expect(approver.resolve).not.toHaveBeenCalled();
    expect(approver.state).not.toHaveBeenCalled();
  });

  it('rejects malformed arguments', () => {
    const { approver, invoke } = setup();
    for (const bad of [
      null,
      'x',
      { org: 'a', id: 'b', decision: 'maybe' },
      { org: '', id: 'b', decision: 'deny' },
    ]) {
      expect(invoke(IPC.resolve, PAGE, bad)).toMatchObject({ ok: false, code: 'invalid_input' });
    }
    expect(invoke(IPC.pair, PAGE, { serverUrl: 'https://x', code: 42, name: 'n' })).toMatchObject({
      code: 'invalid_input',
    });
    expect(invoke(IPC.unpair, PAGE, { org: 'a' })).toMatchObject({ code: 'invalid_input' });
    expect(approver.resolve).not.toHaveBeenCalled();
    expect(approver.pair).not.toHaveBeenCalled();
    expect(approver.unpair).not.toHaveBeenCalled();
  });
});
