import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { IPC } from '../shared/contract.js';

const electron = vi.hoisted(() => {
  const calls: string[] = [];
  const appListeners = new Map<string, (...args: unknown[]) => void>();
  const handlers = new Map<string, (event: unknown, arg?: unknown) => unknown>();
  const windows: { options: Record<string, unknown>; loaded?: string; sent: [string, unknown][] }[] = [];
  let ready: () => void = () => {};
  const whenReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  type PermissionHandler = (contents: unknown, permission: string, callback: (ok: boolean) => void) => void;
  const session = {
    permissionHandler: undefined as PermissionHandler | undefined,
    setPermissionRequestHandler(handler: PermissionHandler) {
      session.permissionHandler = handler;
    },
    setPermissionCheckHandler() {},
    webRequest: { onHeadersReceived() {}, onBeforeRequest() {} },
  };
  class BrowserWindow {
    readonly record: (typeof windows)[number];
    readonly webContents = {
      send: (channel: string, state: unknown) => this.record.sent.push([channel, state]),
    };
    constructor(options: Record<string, unknown>) {
      this.record = { options, sent: [] };
      windows.push(this.record);
    }
    once() {}
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    show() {}
    focus() {}
    flashFrame() {}
    async loadFile(path: string) {
      this.record.loaded = path;
    }
  }
  const dataDir = { path: '' };
  return {
    calls,
    appListeners,
    handlers,
    windows,
    session,
    dataDir,
    ready: () => ready(),
    module: {
      app: {
        enableSandbox: () => calls.push('enableSandbox'),
        requestSingleInstanceLock: () => true,
        quit: () => calls.push('quit'),
        on: (event: string, listener: (...args: unknown[]) => void) => appListeners.set(event, listener),
        whenReady: () => whenReady,
        getPath: () => dataDir.path,
      },
      BrowserWindow,
      ipcMain: {
        handle: (channel: string, listener: (event: unknown, arg?: unknown) => unknown) =>
          handlers.set(channel, listener),
      },
      Notification: Object.assign(function Notification() {}, { isSupported: () => false }),
      powerMonitor: { on: () => {} },
      safeStorage: {
        isEncryptionAvailable: () => true,
        getSelectedStorageBackend: () => 'gnome_libsecret',
        encryptString: (s: string) => Buffer.from(s),
        decryptString: (b: Buffer) => b.toString(),
      },
      session: { defaultSession: session },
    },
  };
});

vi.mock('electron', () => electron.module);

const dataDir = mkdtempSync(join(tmpdir(), 'approver-main-'));
electron.dataDir.path = dataDir;
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('main process wiring', () => {
  it('starts sandboxed and hardened, opens a locked-down window and answers only its own page', async () => {
    await import('./main.js');
    expect(electron.calls).toContain('enableSandbox');
    expect(electron.appListeners.has('web-contents-created')).toBe(true);
    electron.ready();
    await expect.poll(() => electron.windows[0]?.sent.length ?? 0).toBeGreaterThan(0);

    const [window] = electron.windows;
    expect(window?.options['webPreferences']).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: expect.stringMatching(/preload[/\\]preload\.cjs$/),
    });
    expect(window?.loaded).toMatch(/renderer[/\\]index\.html$/);
    expect(window?.sent[0]?.[0]).toBe(IPC.state);

    const denied = vi.fn();
    electron.session.permissionHandler?.({}, 'media', denied);
    expect(denied).toHaveBeenCalledWith(false);

    const getState = electron.handlers.get(IPC.getState);
    const own = pathToFileURL(window?.loaded ?? '').href;
    expect(getState?.({ senderFrame: { url: own, parent: null } })).toMatchObject({
      accounts: [],
      pending: [],
    });
    expect(() => getState?.({ senderFrame: { url: 'https://evil.example/', parent: null } })).toThrow(
      /untrusted/,
    );
    electron.appListeners.get('before-quit')?.();
  });
});
